"""Cut one stream's packets into segment files at keyframes.

A segment starts at a keyframe and is cut at the first keyframe that arrives once it is
``length`` seconds old, so every segment can be played from its first byte. Packets are written
a GOP at a time in a worker thread (one hand-off per GOP, not per frame), which also matches the
fragments the file gets. Times are arrival times (see :class:`~vigil.media.packet.MediaPacket`):
a segment's start is its first keyframe's arrival; its end is the next segment's start when it
was cut, or its last frame's arrival plus one frame when the stream stopped.

The SHA-256 is taken in the same worker thread right after the file is closed, and only then is
the segment reported (``on_closed``), so an index row always names a finished, hashed file. Until
then the segment is :attr:`Segmenter.open_segment`: listed and played back up to its last complete
fragment on disk (a GOP or two behind the stream: a fragment is written when the next keyframe
comes).
"""

from __future__ import annotations

import asyncio
import errno
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import av

from vigil.media.packet import Codec, MediaPacket, StreamKey
from vigil.media.recording.segment_file import SegmentWriter, TimedFrame, segment_path
from vigil.media.recording.timeline import Timeline

__all__ = ["ClosedSegment", "OpenSegment", "SegmentWriteFailed", "Segmenter"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ClosedSegment:
    """A finished segment file, ready for its index row. Times are epoch seconds."""

    key: StreamKey
    path: Path  # relative to the recordings root
    start: float
    end: float
    size: int
    codec: Codec
    sha256: str


@dataclass(frozen=True, slots=True)
class OpenSegment:
    """The segment being written, as far as it has come. Times are epoch seconds."""

    key: StreamKey
    path: Path  # relative to the recordings root
    start: float
    end: float  # one frame after the last frame that arrived (not all of it is on disk yet)
    codec: Codec


class SegmentWriteFailed(Exception):
    """A segment could not be opened or written; ``cause`` names the gap it leaves."""

    def __init__(self, cause: str) -> None:
        super().__init__(cause)
        self.cause = cause


def _failure(exc: Exception) -> SegmentWriteFailed:
    disk_full = isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)
    return SegmentWriteFailed("disk-full" if disk_full else "write-error")


OnClosed = Callable[[ClosedSegment], Awaitable[object]]


class _OpenSegment:
    def __init__(self, writer: SegmentWriter, relative: Path, codec: Codec, start: float) -> None:
        self.writer = writer
        self.relative = relative
        self.codec = codec
        self.start = start
        self.timeline = Timeline()
        self.last_arrival = start


class Segmenter:
    """Feeds one stream into segment files under ``root``; ``close`` ends the open one."""

    def __init__(self, root: Path, key: StreamKey, length: float, on_closed: OnClosed) -> None:
        self.root = root
        self.key = key
        self.length = length
        self._on_closed = on_closed
        self._open: _OpenSegment | None = None
        self._gop: list[TimedFrame] = []

    @property
    def recording(self) -> bool:
        return self._open is not None

    @property
    def open_segment(self) -> OpenSegment | None:
        current = self._open
        if current is None:
            return None
        end = current.last_arrival + current.timeline.step / 90_000
        return OpenSegment(self.key, current.relative, current.start, end, current.codec)

    async def push(self, packet: MediaPacket) -> bool:
        """Take one packet; False when it was dropped (no segment open and not a keyframe).

        Raises SegmentWriteFailed when the file cannot be written (the segment is abandoned, and
        recovery indexes what reached the disk at the next start).
        """
        if not packet.codec.is_video:
            return False
        current = self._open
        if packet.keyframe:
            if current is not None and (
                packet.arrival - current.start >= self.length or packet.codec != current.codec
            ):
                await self.close(end=packet.arrival)
                current = None
            else:
                await self._flush()
            if current is None:
                current = await self._start(packet)
        elif current is None:
            return False
        pts, dts = current.timeline.place(packet.pts, packet.dts)
        self._gop.append(TimedFrame(packet.data, pts, dts, packet.keyframe))
        current.last_arrival = packet.arrival
        return True

    async def close(self, end: float | None = None) -> float | None:
        """Finish the open segment (if any) and report it; returns its end time.

        Without ``end`` the segment ends one frame after its last frame arrived.
        """
        current = self._open
        if current is None:
            return None
        await self._flush()
        self._open = None
        if end is None:
            end = current.last_arrival + current.timeline.step / 90_000
        size, digest = await asyncio.to_thread(current.writer.close)
        closed = ClosedSegment(
            self.key, current.relative, current.start, end, size, current.codec, digest
        )
        await self._on_closed(closed)
        return end

    async def _start(self, packet: MediaPacket) -> _OpenSegment:
        relative = segment_path(self.key.channel_id, self.key.stream, packet.arrival)
        try:
            writer = await asyncio.to_thread(
                SegmentWriter, self.root / relative, packet.codec, packet.data
            )
        except (OSError, av.error.FFmpegError) as exc:
            log.exception("segment open failed", extra={"stream": str(self.key)})
            raise _failure(exc) from exc
        self._open = _OpenSegment(writer, relative, packet.codec, packet.arrival)
        return self._open

    async def _flush(self) -> None:
        current, frames = self._open, self._gop
        if current is None or not frames:
            return
        self._gop = []
        try:
            await asyncio.to_thread(current.writer.write, frames)
        except (OSError, av.error.FFmpegError) as exc:
            self._open = None
            await asyncio.to_thread(current.writer.abandon)
            log.exception("segment write failed", extra={"stream": str(self.key)})
            raise _failure(exc) from exc
