"""HLS with fMP4 segments, in memory and bounded, cut from the live fMP4 broadcast.

A packager joins the stream's broadcast like any viewer, so the bytes are muxed once for
WebSocket and HLS alike: the playlist's ``EXT-X-MAP`` is the broadcast's init segment and each
segment is the fragments from one keyframe up to the keyframe that ends at least
``target_duration`` seconds later. Only the newest ``window`` segments are kept. Players poll;
a packager nobody polled for ``idle_timeout`` seconds leaves the broadcast (and the hub then stops
the source after its linger).

TS segments are not produced: every player that can play H.265 over HLS takes fMP4.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from vigil.errors import NotFound
from vigil.media.fanout import ConsumerDropped
from vigil.media.live.broadcast import Broadcasts, Viewer
from vigil.media.live.fmp4 import Fragment
from vigil.media.packet import StreamKey
from vigil.media.sources.base import SourceError
from vigil.tasks import cancel_and_wait

__all__ = ["HlsPackager", "HlsPackagers", "Segment"]

log = logging.getLogger(__name__)

_CLOCK = 90000


@dataclass(frozen=True, slots=True)
class Segment:
    """One HLS media segment as served: its sequence number, length and fMP4 bytes."""

    sequence: int
    duration: float
    data: bytes


class HlsPackager:
    """One stream's segments and playlist; runs as the task ``media.hls:<key>``."""

    def __init__(self, key: StreamKey, viewer: Viewer, *, target: float, window: int) -> None:
        self.key = key
        self.init = viewer.init
        self.segments: deque[Segment] = deque(maxlen=window)
        self.first = asyncio.Event()
        self.last_request = time.monotonic()
        self.ended: str | None = None
        self._viewer = viewer
        self._target = target
        self._sequence = 0
        self.task: asyncio.Task[None] | None = None

    async def run(self) -> None:
        parts: list[Fragment] = []
        duration = 0
        try:
            async for fragment in self._viewer.fragments:
                if fragment.keyframe and parts and duration >= self._target * _CLOCK:
                    self._cut(parts, duration)
                    parts, duration = [], 0
                parts.append(fragment)
                duration += fragment.duration
            self.ended = "stream ended"
        except ConsumerDropped as exc:
            self.ended = exc.reason
        finally:
            self._viewer.close()
            self.first.set()

    def playlist(self, uri: Callable[[str], str]) -> str:
        """The media playlist; ``uri`` turns ``init.mp4`` / ``seg/N.m4s`` into request URLs."""
        self.last_request = time.monotonic()
        segments = list(self.segments)
        target = max((math.ceil(s.duration) for s in segments), default=1)
        first = segments[0].sequence if segments else 0
        lines = [
            "#EXTM3U",
            "#EXT-X-VERSION:7",
            f"#EXT-X-TARGETDURATION:{target}",
            f"#EXT-X-MEDIA-SEQUENCE:{first}",
            "#EXT-X-INDEPENDENT-SEGMENTS",
            f'#EXT-X-MAP:URI="{uri("init.mp4")}"',
        ]
        for segment in segments:
            lines.append(f"#EXTINF:{segment.duration:.3f},")
            lines.append(uri(f"seg/{segment.sequence}.m4s"))
        if self.ended is not None:
            lines.append("#EXT-X-ENDLIST")
        return "\n".join(lines) + "\n"

    def segment(self, sequence: int) -> bytes:
        self.last_request = time.monotonic()
        for segment in self.segments:
            if segment.sequence == sequence:
                return segment.data
        raise NotFound(f"segment {sequence} is not (or no longer) available")

    def _cut(self, parts: list[Fragment], duration: int) -> None:
        self.segments.append(
            Segment(self._sequence, duration / _CLOCK, b"".join(p.data for p in parts))
        )
        self._sequence += 1
        self.first.set()


class HlsPackagers:
    """Every HLS packager of this node, started on the first request for a stream."""

    def __init__(
        self,
        broadcasts: Broadcasts,
        *,
        target: float = 1.0,
        window: int = 6,
        idle_timeout: float = 30.0,
        first_timeout: float = 15.0,
    ) -> None:
        self._broadcasts = broadcasts
        self._target = target
        self._window = window
        self._idle_timeout = idle_timeout
        self._first_timeout = first_timeout
        self._packagers: dict[StreamKey, HlsPackager] = {}
        self._reaper: asyncio.Task[None] | None = None

    async def get(self, key: StreamKey) -> HlsPackager:
        """The packager of ``key``, started if needed; waits for its first segment."""
        packager = self._packagers.get(key)
        if packager is None or packager.ended is not None:
            try:
                viewer = await self._broadcasts.join(key)
            except ConsumerDropped as exc:
                raise SourceError(f"{key}: {exc.reason}") from None
            packager = self._packagers.get(key)
            if packager is None or packager.ended is not None:
                packager = HlsPackager(key, viewer, target=self._target, window=self._window)
                packager.task = asyncio.create_task(packager.run(), name=f"media.hls:{key}")
                self._packagers[key] = packager
                self._start_reaper()
            else:
                viewer.close()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(packager.first.wait(), self._first_timeout)
        if not packager.segments:
            raise NotFound(f"no HLS segment for {key}: {packager.ended or 'none yet'}")
        return packager

    async def stop(self) -> None:
        await cancel_and_wait(*(p.task for p in self._packagers.values()), self._reaper)
        self._packagers.clear()
        self._reaper = None

    def _start_reaper(self) -> None:
        if self._reaper is None or self._reaper.done():
            self._reaper = asyncio.create_task(self._reap(), name="media.hls.reaper")

    async def _reap(self) -> None:
        """Stop packagers nobody polls; ends when there are none left."""
        while self._packagers:
            await asyncio.sleep(min(self._idle_timeout / 2, 5.0))
            now = time.monotonic()
            for key, packager in list(self._packagers.items()):
                if packager.ended is not None or now - packager.last_request > self._idle_timeout:
                    del self._packagers[key]
                    await cancel_and_wait(packager.task)
