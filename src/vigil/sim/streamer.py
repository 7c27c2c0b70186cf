"""Send a GOP loop as PS over RTP in real time: mux, packetize, pace, write to UDP or TCP.

Muxing, packetizing and the sinks are :mod:`vigil.media.outbound`'s, shared with the cascade.

Frame ``n`` of a stream is loop frame ``n mod L`` with PTS ``pts_base + n·ticks``, so the
timestamps grow without end while the bytes repeat. Frames leave at ``speed`` × the frame rate
(1 for live and playback at Scale 1, the Scale of a MANSRTSP PLAY, the a=downloadspeed of a
download), each frame's packets in one burst as cameras send them. A stream with a ``duration``
(playback, download) ends there and calls ``on_end(True)`` (``on_end(False)`` when the peer
went away); PAUSE stops the clock, PLAY with a Range
seeks to the GOP that contains the position, as a recorder can only start decoding at a keyframe.
If the loop falls more than a second behind (the host is overloaded), the clock is re-anchored
rather than sending the backlog in one burst.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

from vigil.media import PsRtpPacketizer, RtpSink, TcpSink, UdpSink, pts_for
from vigil.sim.video import GopLoop
from vigil.tasks import cancel_and_wait

__all__ = ["RtpSink", "StreamStats", "Streamer", "TcpSink", "UdpSink", "pts_for"]

log = logging.getLogger(__name__)

_MAX_LAG = 1.0


@dataclass(slots=True)
class StreamStats:
    """What a stream has sent so far."""

    frames: int = 0
    packets: int = 0
    bytes: int = 0


class Streamer:
    """One outgoing stream; ``start()`` launches its task, ``stop()`` ends it and the sink."""

    def __init__(
        self,
        gop: GopLoop,
        sink: RtpSink,
        *,
        ssrc: int,
        pts_base: int = 0,
        duration: float | None = None,
        speed: float = 1.0,
        name: str = "sim.stream",
        on_end: Callable[[bool], None] | None = None,
    ) -> None:
        self.gop = gop
        self.sink = sink
        self.ssrc = ssrc
        self.pts_base = pts_base
        self.duration = duration
        self.speed = speed
        self.stats = StreamStats()
        self.ended = False
        self.complete = False
        self._name = name
        self._on_end = on_end
        self._packetizer = PsRtpPacketizer(ssrc, gop.stream_type)
        self._frame = 0
        self._anchor = (0.0, 0)
        self._running = asyncio.Event()
        self._running.set()
        self._task: asyncio.Task[None] | None = None
        self._next_gop: GopLoop | None = None

    def switch(self, gop: GopLoop) -> None:
        """Send ``gop``'s frames (same spec, another picture) from the next keyframe on."""
        if gop.spec != self.gop.spec:
            raise ValueError("a stream can only switch to a loop of the same spec")
        self._next_gop = gop

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    @property
    def position(self) -> float:
        """Seconds of media sent since the start of the stream (or of the playback range)."""
        return self._frame / self.gop.spec.fps

    def start(self) -> None:
        self._reanchor()
        self._task = asyncio.create_task(self._run(), name=self._name)

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None
        self.sink.close()

    def pause(self) -> None:
        self._running.clear()

    def play(self, *, scale: float | None = None, position: float | None = None) -> None:
        """Resume, optionally at a new speed and from a new position (seconds into the range)."""
        if scale is not None:
            self.speed = abs(scale)
        if position is not None:
            wanted = round(position * self.gop.spec.fps)
            self._frame = self.gop.keyframe_at_or_before(wanted)
        self._reanchor()
        self._running.set()

    def _reanchor(self) -> None:
        self._anchor = (asyncio.get_running_loop().time(), self._frame)

    def _due(self) -> float:
        start, first = self._anchor
        return start + (self._frame - first) / (self.gop.spec.fps * self.speed)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        fps = self.gop.spec.fps
        try:
            while not self.sink.closed:
                if not self._running.is_set():
                    await self._running.wait()
                    continue
                if self.duration is not None and self._frame >= self.duration * fps:
                    self.complete = True
                    break
                delay = self._due() - loop.time()
                if delay > 0:
                    await asyncio.sleep(delay)
                    if not self._running.is_set():
                        continue
                elif delay < -_MAX_LAG:
                    self._reanchor()
                self._send_frame()
                await self.sink.drain()
        except (ConnectionError, OSError) as exc:
            log.info("stream peer went away", extra={"ssrc": self.ssrc, "error": str(exc)})
        self.ended = True
        if self._on_end is not None:
            self._on_end(self.complete)

    def _send_frame(self) -> None:
        if self._next_gop is not None and self._frame % self.gop.spec.gop_frames == 0:
            self.gop, self._next_gop = self._next_gop, None
        frame = self.gop.frame(self._frame)
        pts = self.pts_base + self._frame * self.gop.frame_ticks
        packets = self._packetizer.video(frame.data, pts, keyframe=frame.keyframe)
        self.sink.send(packets)
        self._frame += 1
        stats = self.stats
        stats.frames += 1
        stats.packets += len(packets)
        stats.bytes += sum(len(p) for p in packets)
