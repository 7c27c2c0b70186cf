"""Play a recorded range as fragmented MP4, paced at 0.5–8× real time, with seek and pause.

Frames are read from the segment files (:mod:`.reader`) and muxed by the live fMP4 muxer
(:class:`vigil.media.live.fmp4.Fmp4Muxer`, one fragment per frame) in a worker thread, a batch
at a time; nothing is decoded or re-encoded, unless the viewer sees the channel with privacy
masks (:mod:`vigil.media.masking`): then the frames are decoded, blurred and encoded again in
that worker thread. Speed works on the timestamps: each frame's decode
time advances by its recorded interval divided by the speed, and fragments are sent when their
time comes on the wall clock (up to ``lead`` seconds early, so a player's buffer stays fed).
The first fragments are due at once, so a session starts as fast as its first segment opens.

What goes out, in order (``send`` takes text for JSON messages, bytes for media):

* ``{"type": "init", "at": <ISO time of the first frame>, "codec": ...}`` then the init segment
  (``ftyp`` + ``moov``) — again after every seek, because a new reader starts a new stream;
* one ``moof`` + ``mdat`` per frame;
* ``{"type": "end"}`` when the range is played out (a seek can start it again).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from vigil.errors import Invalid
from vigil.media.live.fmp4 import Fmp4Muxer, Fragment
from vigil.media.masking import masked_frames
from vigil.media.masking.blur import Polygon
from vigil.media.packet import MediaPacket
from vigil.media.playback.reader import StoredSegment, read_range

__all__ = ["Player"]

Send = Callable[[str | bytes], Awaitable[None]]

_BATCH = 8


@dataclass
class _Pipeline:
    frames: Iterator[MediaPacket]
    muxer: Fmp4Muxer = field(default_factory=Fmp4Muxer)
    last_dts: int | None = None
    out_dts: int = 0
    done: bool = False
    announced: bool = False


class Player:
    """Plays a recorded range to one client at a speed, following its seeks and pauses."""

    def __init__(
        self,
        segments: Sequence[StoredSegment],
        start: float,
        end: float,
        speed: float,
        lead: float = 1.0,
        masks: Sequence[Polygon] = (),
    ) -> None:
        self._segments = tuple(segments)
        self._masks = tuple(masks)
        self.start, self.end = start, end
        self.position = start
        self.speed = speed
        self.lead = lead
        self.paused = False
        self._restart = True
        self._rebase = True
        self._wake = asyncio.Event()

    # -- control (from the client) ---------------------------------------------------------

    def seek(self, at: float) -> None:
        if not self.start <= at < self.end:
            raise Invalid("seek target is outside the session's range", code="playback.seek_range")
        self.position, self._restart = at, True
        self._wake.set()

    def set_speed(self, speed: float) -> None:
        if not 0.5 <= speed <= 8.0:
            raise Invalid(
                "speed must be between 0.5 and 8", code="field.range", field="speed", min=0.5, max=8
            )
        self.speed, self._rebase = speed, True
        self._wake.set()

    def pause(self) -> None:
        self.paused = True

    def resume(self) -> None:
        self.paused, self._rebase = False, True
        self._wake.set()

    # -- the stream --------------------------------------------------------------------------

    async def run(self, send: Send) -> None:
        """Send the range until the task is cancelled (the client left)."""
        pipeline: _Pipeline | None = None
        clock = (0.0, 0)  # (wall time, output dts) pacing is measured from
        while True:
            if self._restart or pipeline is None:
                pipeline = _Pipeline(self._frames())
                self._restart, self._rebase = False, True
            if self.paused or pipeline.done:
                await self._sleep(None)
                continue
            fragments = await asyncio.to_thread(self._batch, pipeline, self.speed)
            if self._restart:
                continue
            if pipeline.muxer.init is not None and fragments and not pipeline.announced:
                await send(self._init_message(pipeline, fragments[0]))
                await send(pipeline.muxer.init)
                pipeline.announced = True
            clock = await self._send_paced(send, fragments, clock)
            if pipeline.done and not self._restart:
                await send(json.dumps({"type": "end"}))

    def _frames(self) -> Iterator[MediaPacket]:
        """The range from the current position, its privacy masks blurred (re-encoded) if any."""
        frames = read_range(self._segments, self.position, self.end)
        return masked_frames(frames, self._masks) if self._masks else frames

    async def _send_paced(
        self, send: Send, fragments: list[Fragment], clock: tuple[float, int]
    ) -> tuple[float, int]:
        """Send each fragment ``lead`` seconds before its time on ``clock`` (wall time, output
        dts), until a seek restarts the stream; the clock to pace the next batch by."""
        loop = asyncio.get_running_loop()
        for fragment in fragments:
            if self._rebase:
                clock, self._rebase = (loop.time(), fragment.dts), False
            due = clock[0] + (fragment.dts - clock[1]) / 90_000 - self.lead
            while (wait := due - loop.time()) > 0 and not self._restart:
                await self._sleep(wait)
            if self._restart:
                break
            await send(fragment.data)
            self.position = fragment.arrival
        return clock

    def _init_message(self, pipeline: _Pipeline, first: Fragment) -> str:
        codec = pipeline.muxer.codec.value if pipeline.muxer.codec else None
        at = datetime.fromtimestamp(first.arrival, UTC).isoformat()
        return json.dumps({"type": "init", "at": at, "codec": codec, "speed": self.speed})

    async def _sleep(self, seconds: float | None) -> None:
        with contextlib.suppress(TimeoutError):
            # asyncio.timeout, not wait_for: 3.11's wait_for loses a cancel that comes as the
            # event is set, and a stop() that cancels this task would then wait for it.
            async with asyncio.timeout(seconds):
                await self._wake.wait()
        self._wake.clear()

    @staticmethod
    def _batch(pipeline: _Pipeline, speed: float) -> list[Fragment]:
        """Blocking: read up to a batch of frames, re-time them for ``speed``, mux them."""
        fragments: list[Fragment] = []
        for _ in range(_BATCH):
            frame = next(pipeline.frames, None)
            if frame is None:
                fragments += pipeline.muxer.close()
                pipeline.done = True
                break
            if pipeline.last_dts is not None:
                pipeline.out_dts += max(1, round((frame.dts - pipeline.last_dts) / speed))
            pipeline.last_dts = frame.dts
            cts = round((frame.pts - frame.dts) / speed)
            timed = MediaPacket(
                frame.codec,
                pipeline.out_dts + cts,
                pipeline.out_dts,
                frame.keyframe,
                frame.data,
                frame.arrival,
            )
            fragments += pipeline.muxer.feed(timed)
        return fragments
