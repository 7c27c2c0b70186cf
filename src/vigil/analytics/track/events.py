"""What the tracker hands out: the tracked objects of a frame, and track start and end events.

A track's identity is a small integer, unique within its tracker (one tracker per channel) and
given when the track is confirmed, so tentative tracks that die young use up no numbers. Times
(``first``, ``last``, ``stamp``) are whatever the caller passes to ``update``: frame indices or
seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

from vigil.analytics.detect.boxes import Detection

__all__ = ["TrackEnded", "TrackEvent", "TrackStarted", "TrackUpdate", "TrackedObject"]


@dataclass(frozen=True)
class TrackedObject:
    """A confirmed track seen in the current frame.

    ``box`` is the filtered box (the Kalman state after this frame's detection, steadier than
    the detection); ``detection`` is the detection it was matched to, as the detector gave it.
    """

    track_id: int
    label: str
    score: float
    box: tuple[float, float, float, float]
    detection: Detection


@dataclass(frozen=True)
class TrackStarted:
    """A track was confirmed. ``first`` is when its first detection was seen (before
    confirmation), ``last`` the confirming frame's time; ``best`` its best detection so far."""

    track_id: int
    label: str
    first: float
    last: float
    best: Detection


@dataclass(frozen=True)
class TrackEnded:
    """A confirmed track ended: lost for longer than the buffer, or the tracker was finished.

    ``last`` is when it was last seen (not when the end was decided); ``best`` is its
    highest-scoring detection, the one to keep as its snapshot.
    """

    track_id: int
    label: str
    first: float
    last: float
    best: Detection


TrackEvent = TrackStarted | TrackEnded


@dataclass(frozen=True)
class TrackUpdate:
    """One frame's result: the confirmed tracks seen in it and the events it caused, in order
    (ends of lost tracks come after the starts of new ones)."""

    stamp: float
    tracks: tuple[TrackedObject, ...]
    events: tuple[TrackEvent, ...]

    @property
    def started(self) -> tuple[TrackStarted, ...]:
        """The start events alone."""
        return tuple(e for e in self.events if isinstance(e, TrackStarted))

    @property
    def ended(self) -> tuple[TrackEnded, ...]:
        """The end events alone."""
        return tuple(e for e in self.events if isinstance(e, TrackEnded))
