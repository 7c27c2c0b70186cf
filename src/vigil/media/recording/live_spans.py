"""What a channel's recording is doing now, listed beside the index rows: the open segment (being
written, no index row, hash or lock yet) and the open gap (recording stopped, and why, until it
resumes and the gap is written).

Both end "now": the open segment at the last frame that arrived, the open gap at the moment of
asking. An open segment that closed meanwhile is listed once, by its index row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from vigil.media.recording.index import utc
from vigil.media.recording.recorder import Stop
from vigil.media.recording.segmenter import OpenSegment
from vigil.store.models import RecordingGap, RecordingSegment

__all__ = ["LiveGap", "LiveSegment", "live_gap", "live_segment", "with_live"]


@dataclass(frozen=True, slots=True)
class LiveSegment:
    """The open segment in the shape of an index row; ``size`` is what is on disk so far."""

    path: str
    start: datetime
    end: datetime
    size: int
    codec: str
    id: None = None
    sha256: None = None
    locked: bool = False
    open: bool = True


@dataclass(frozen=True, slots=True)
class LiveGap:
    """A recording gap still going on, or just ended, with its cause."""

    start: datetime
    end: datetime
    cause: str
    open: bool = True


def live_segment(segment: OpenSegment, size: int) -> LiveSegment:
    return LiveSegment(
        segment.path.as_posix(), utc(segment.start), utc(segment.end), size, segment.codec.value
    )


def live_gap(stop: Stop, now: float) -> LiveGap:
    return LiveGap(utc(stop.at), utc(max(now, stop.at)), stop.cause)


def _overlaps(span: LiveSegment | LiveGap, start: datetime, end: datetime) -> bool:
    return span.start < end and span.end > start


def with_live(
    rows: Sequence[RecordingSegment],
    gaps: Sequence[RecordingGap],
    live: tuple[LiveSegment | None, LiveGap | None],
    start: datetime,
    end: datetime,
) -> tuple[list[RecordingSegment | LiveSegment], list[RecordingGap | LiveGap]]:
    """The index rows of ``[start, end)`` with the live spans that overlap it, in time order.

    ``live`` must have been taken before the rows were read: a segment that closed (or a gap that
    was written) in between is then in both, and its row wins.
    """
    segment, gap = live
    segments: list[RecordingSegment | LiveSegment] = list(rows)
    if (
        segment is not None
        and _overlaps(segment, start, end)
        and all(r.path != segment.path for r in rows)
    ):
        segments.append(segment)
    listed: list[RecordingGap | LiveGap] = list(gaps)
    if (
        gap is not None
        and _overlaps(gap, start, end)
        and all(g.start != gap.start or g.cause != gap.cause for g in gaps)
    ):
        listed.append(gap)
    return (
        sorted(segments, key=lambda s: s.start),
        sorted(listed, key=lambda g: g.start),
    )
