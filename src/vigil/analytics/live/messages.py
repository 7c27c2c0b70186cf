"""What crosses between a channel's asyncio side and its worker process, both ways.

In: :class:`PacketIn` (one coded video frame, Annex B, with its arrival time) and
:class:`RulesIn` (the channel's rules as JSON-able dicts from
:func:`~vigil.analytics.rules.rule_to_dict`, so the worker rebuilds them without pickling
shapes). ``None`` ends the worker.

Out: :class:`TrackOpened`, :class:`TrackClosed` (with a JPEG crop of the track's best detection
and the attributes read from it),
:class:`RuleHit` (with a JPEG snapshot of the frame, the object's box drawn) and :class:`Counts`
(the worker's counters, sent now and then). Boxes are normalised (0..1 of the frame); times are
UTC epoch seconds (the packets' arrival).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vigil.analytics.rules import RuleEvent

__all__ = ["Counts", "Outcome", "PacketIn", "RuleHit", "RulesIn", "TrackClosed", "TrackOpened"]

NormBox = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class PacketIn:
    """One coded video frame for the decoder."""

    codec: str  # FFmpeg decoder name: "h264", "hevc"
    pts: int
    keyframe: bool
    data: bytes
    arrival: float


@dataclass(frozen=True, slots=True)
class RulesIn:
    """The channel's enabled rules, replacing those before (an empty list: none)."""

    rules: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class TrackOpened:
    """The tracker confirmed a track."""

    track_id: int
    label: str
    first: float
    box: NormBox
    score: float


@dataclass(frozen=True, slots=True)
class TrackClosed:
    """A track ended: its span, boxes, best score, frames seen, best crop (JPEG) and the
    attributes read from that crop (:func:`vigil.analytics.attributes.describe`: e.g.
    ``{"type": "car", "colour": "white"}``, ``{"upper": "red", "lower": "black"}``; ``{}`` for
    a class without attributes; None without a crop)."""

    track_id: int
    label: str
    first: float
    last: float
    first_box: NormBox
    last_box: NormBox
    best_score: float
    frames: int
    crop: bytes | None
    attributes: dict[str, str] | None


@dataclass(frozen=True, slots=True)
class RuleHit:
    """A rule fired (``event.box`` in the frame's pixels, ``box`` normalised); ``snapshot`` is
    the frame as a JPEG with the event's box drawn."""

    event: RuleEvent
    box: NormBox
    score: float | None
    snapshot: bytes


@dataclass(frozen=True, slots=True)
class Counts:
    """The worker's counters so far: frames decoded, analysed, dropped (behind), gated (no
    motion: the last detections stand), and its process CPU seconds."""

    decoded: int
    analysed: int
    dropped: int
    gated: int
    cpu_s: float


Outcome = TrackOpened | TrackClosed | RuleHit | Counts
