"""Read recorded frames back for a time range, across segment files, as media packets.

Frames come out as :class:`~vigil.media.packet.MediaPacket` (Annex B, parameter sets in band,
through FFmpeg's ``*_mp4toannexb`` filter) so exports and playback feed them to the same writers
that live packets go to. ``arrival`` is the frame's recorded wall time (its segment's start plus
its decode offset in the file) and ``dts``/``pts`` are that time in 90 kHz ticks from the range's
origin, so timestamps increase across segment boundaries.

The first frame is the last keyframe at or before ``start`` (a decoder needs it), and frames at or
after ``end`` are left out. A segment still being written (``growing``) is read up to its last
complete fragment as it is when the reader reaches it: the muxer may be half-way through the next.
Blocking (PyAV): run it in a worker thread.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import BinaryIO

import av
import av.bitstream
import av.error

from vigil.media.packet import Codec, MediaPacket
from vigil.media.recording.segment_file import complete_length

__all__ = ["StoredSegment", "read_range"]

_FILTERS = {Codec.H264: "h264_mp4toannexb", Codec.HEVC: "hevc_mp4toannexb"}


@dataclass(frozen=True, slots=True)
class StoredSegment:
    """What the reader needs of an index row: the file and its start (epoch seconds)."""

    path: Path
    start: float
    end: float
    growing: bool = False  # the open segment: read only its complete fragments


class _Prefix(io.RawIOBase):
    """The first ``length`` bytes of a file, as a seekable file of that size."""

    def __init__(self, file: BinaryIO, length: int) -> None:
        self._file = file
        self._length = length

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        left = max(0, self._length - self._file.tell())
        return self._file.read(left if size < 0 else min(size, left))

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        if whence == os.SEEK_END:
            offset, whence = self._length + offset, os.SEEK_SET
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()


def _open(segment: StoredSegment, files: contextlib.ExitStack) -> av.container.InputContainer:
    if not segment.growing:
        return av.open(str(segment.path))
    file = files.enter_context(segment.path.open("rb"))
    return av.open(_Prefix(file, complete_length(segment.path)), "r", format="mp4")


def _segment_frames(segment: StoredSegment, origin: float) -> Iterator[MediaPacket]:
    with contextlib.ExitStack() as files, _open(segment, files) as container:
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
    for frame in _frames_before(segments, start, end):
        if pending is None:
            yield frame
        elif frame.arrival < start:
            if frame.keyframe:
                pending = [frame]
            elif pending:
                pending.append(frame)
        else:  # the first frame at or after start: from its GOP's keyframe
            if not frame.keyframe:
                if not pending:
                    continue
                yield from pending
            yield frame
            pending = None


def _frames_before(
    segments: Sequence[StoredSegment], start: float, end: float
) -> Iterator[MediaPacket]:
    """Every frame before ``end`` of the segments that overlap ``[start, end)``, in order."""
    for segment in segments:
        if segment.end <= start or segment.start >= end:
            continue
        try:
            for frame in _segment_frames(segment, start):
                if frame.arrival >= end:
                    return
                yield frame
        except (av.error.FFmpegError, FileNotFoundError):
            continue  # an unreadable segment plays as a gap; verify() reports edited files
