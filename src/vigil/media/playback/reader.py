"""Read recorded frames back for a time range, across segment files, as media packets.

Frames come out as :class:`~vigil.media.packet.MediaPacket` (Annex B, parameter sets in band,
through FFmpeg's ``*_mp4toannexb`` filter) so exports and playback feed them to the same writers
that live packets go to. ``arrival`` is the frame's recorded wall time (its segment's start plus
its decode offset in the file) and ``dts``/``pts`` are that time in 90 kHz ticks from the range's
origin, so timestamps increase across segment boundaries.

The first frame is the last keyframe at or before ``start`` (a decoder needs it), and frames at or
after ``end`` are left out. Blocking (PyAV): run it in a worker thread.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import av.bitstream
import av.error

from vigil.media.packet import Codec, MediaPacket

__all__ = ["StoredSegment", "read_range"]

_FILTERS = {Codec.H264: "h264_mp4toannexb", Codec.HEVC: "hevc_mp4toannexb"}


@dataclass(frozen=True, slots=True)
class StoredSegment:
    """What the reader needs of an index row: the file and its start (epoch seconds)."""

    path: Path
    start: float
    end: float


def _segment_frames(segment: StoredSegment, origin: float) -> Iterator[MediaPacket]:
    with av.open(str(segment.path)) as container:
        stream = container.streams.video[0]
        codec = Codec(stream.codec_context.name)
        annexb = av.bitstream.BitStreamFilterContext(_FILTERS[codec], stream)
        ticks = (stream.time_base or Fraction(1, 90_000)) * 90_000
        first: int | None = None
        for packet in container.demux(stream):
            if packet.dts is None or packet.size == 0:
                continue
            if first is None:
                first = packet.dts
            at = segment.start + float((packet.dts - first) * ticks) / 90_000
            dts = round((at - origin) * 90_000)
            pts = dts + round(((packet.pts or packet.dts) - packet.dts) * ticks)
            keyframe = bool(packet.is_keyframe)  # read first: the filter takes the packet over
            for out in annexb.filter(packet):
                yield MediaPacket(codec, pts, dts, keyframe, bytes(out), at)


def read_range(
    segments: Sequence[StoredSegment], start: float, end: float
) -> Iterator[MediaPacket]:
    """Frames of ``segments`` (in time order) for ``[start, end)``, from a keyframe."""
    pending: list[MediaPacket] | None = []
    for segment in segments:
        if segment.end <= start or segment.start >= end:
            continue
        try:
            for frame in _segment_frames(segment, start):
                if frame.arrival >= end:
                    return
                if pending is None:
                    yield frame
                elif frame.arrival < start:
                    if frame.keyframe:
                        pending = [frame]
                    elif pending:
                        pending.append(frame)
                elif frame.keyframe or pending:
                    yield from pending
                    yield frame
                    pending = None
        except av.error.FFmpegError:
            continue  # an unreadable segment plays as a gap; verify() reports edited files
