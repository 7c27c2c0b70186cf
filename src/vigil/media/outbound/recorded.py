"""A recorded range sent as PS over RTP in real time × speed, with pause, seek and scale.

What a device does for a GB/T 28181 Playback or Download INVITE, done from Vigil's own recording
segments: frames are read back by :func:`~vigil.media.playback.reader.read_range` (from the
keyframe at or before the position; PyAV, so in a worker thread a few frames at a time), and
sent by a :class:`~.sender.PacketSender` when their recorded time comes on the wall clock,
divided by the speed (1 for Playback, the Scale of a MANSRTSP PLAY, the ``a=downloadspeed`` of a
Download). Timestamps name the recorded wall time (90 kHz, as :func:`pts_for`), so a receiver
sees the recording's own clock at any speed. PAUSE stops the clock; PLAY with a Range re-reads
from the keyframe before the new position. ``on_end(True)`` fires when the range is sent,
``on_end(False)`` when the peer went away.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterator, Sequence

from vigil.media.masking import masked_frames
from vigil.media.masking.blur import Polygon
from vigil.media.outbound.ps_rtp import pts_for
from vigil.media.outbound.sender import PacketSender
from vigil.media.packet import MediaPacket
from vigil.media.playback.reader import StoredSegment, read_range
from vigil.tasks import cancel_and_wait

__all__ = ["RecordedStream", "pts_for"]

log = logging.getLogger(__name__)

_BATCH = 8
_MAX_LAG = 1.0


def _take(frames: Iterator[MediaPacket]) -> list[MediaPacket]:
    """Blocking: up to a batch of frames (fewer only at the end)."""
    batch: list[MediaPacket] = []
    for frame in frames:
        batch.append(frame)
        if len(batch) == _BATCH:
            break
    return batch


class RecordedStream:
    """One recorded range ``[start, end)`` (epoch seconds) to ``sender``; ``start()`` runs it."""

    def __init__(
        self,
        segments: Sequence[StoredSegment],
        start: float,
        end: float,
        sender: PacketSender,
        *,
        speed: float = 1.0,
        name: str = "media.recorded",
        on_end: Callable[[bool], None] | None = None,
        masks: Sequence[Polygon] = (),
    ) -> None:
        self.segments = tuple(segments)
        self.masks = tuple(masks)
        self.start_at, self.end_at = start, end
        self.sender = sender
        self.speed = speed
        self.position = 0.0
        self.complete = False
        self._name = name
        self._on_end = on_end
        self._offset = 0.0
        self._restart = True
        self._running = asyncio.Event()
        self._running.set()
        self._wake = asyncio.Event()
        self._anchor: tuple[float, float] | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name=self._name)

    async def stop(self) -> None:
        task, self._task = self._task, None
        await cancel_and_wait(task)
        self.sender.sink.close()

    def pause(self) -> None:
        self._running.clear()
        self._wake.set()

    def play(self, *, scale: float | None = None, position: float | None = None) -> None:
        """Resume, optionally at a new speed and from ``position`` seconds into the range."""
        if scale is not None:
            self.speed = abs(scale)
        if position is not None:
            self._offset = min(max(position, 0.0), self.end_at - self.start_at)
            self._restart = True
        self._anchor = None
        self._running.set()
        self._wake.set()

    async def _run(self) -> None:
        frames: Iterator[MediaPacket] | None = None
        sink = self.sender.sink
        try:
            while not sink.closed:
                if self._restart or frames is None:
                    frames = read_range(self.segments, self.start_at + self._offset, self.end_at)
                    if self.masks:  # privacy masks blurred, re-encoded in the reading thread
                        frames = masked_frames(frames, self.masks)
                    self._restart, self._anchor = False, None
                batch = await asyncio.to_thread(_take, frames)
                if not batch:
                    self.complete = True
                    break
                for frame in batch:
                    if not await self._wait_due(frame) or sink.closed:
                        break
                    self._send(frame)
                    await sink.drain()
        except (ConnectionError, OSError) as exc:
            log.info("recorded stream peer went away", extra={"stream": self._name, "error": exc})
        if self._on_end is not None:
            self._on_end(self.complete)

    async def _wait_due(self, frame: MediaPacket) -> bool:
        """Sleep until ``frame`` is due (paused time does not count); False on a seek."""
        loop = asyncio.get_running_loop()
        while True:
            if self._restart:
                return False
            if self.paused:
                self._wake.clear()
                await self._wake.wait()
                continue
            if self._anchor is None:
                self._anchor = (loop.time(), frame.arrival)
            wall, media = self._anchor
            delay = wall + (frame.arrival - media) / self.speed - loop.time()
            if delay < -_MAX_LAG:
                self._anchor = (loop.time(), frame.arrival)
                return True
            if delay <= 0:
                return True
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                # asyncio.timeout, not wait_for: 3.11's wait_for loses a cancel that comes as the
                # event is set, and a stop() that cancels this task would then wait for it.
                async with asyncio.timeout(delay):
                    await self._wake.wait()

    def _send(self, frame: MediaPacket) -> None:
        dts = pts_for(frame.arrival)
        timed = MediaPacket(
            frame.codec,
            dts + frame.pts - frame.dts,
            dts,
            frame.keyframe,
            frame.data,
            frame.arrival,
        )
        self.sender.send(timed)
        self.position = max(0.0, frame.arrival - self.start_at)
