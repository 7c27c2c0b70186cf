"""The stream hub: one source per channel and stream type, many consumers.

* On demand. The first :meth:`StreamHub.subscribe` for a key opens and starts its source; when the
  last consumer leaves, the source is stopped ``linger`` seconds later (a GB source sends BYE in
  its ``stop``) unless someone subscribes again meanwhile.
* From a keyframe. The hub keeps the current GOP (from the latest keyframe on, bounded); a late
  joiner gets it first and then the live packets, so its decoder never starts mid-GOP. A consumer
  that joins before any keyframe waits for one.
* Never stalled. Packets are offered to bounded per-consumer queues (:mod:`vigil.media.fanout`);
  a consumer that falls behind is dropped and told why, the others are not affected.
* Seen. Each stream's first keyframe goes to ``on_first_keyframe`` (the picture size it
  carries is the HD ratio's basis, :mod:`.resolution`); later ones cost one flag test.

Everything runs on the event loop; sources deliver from there (see :mod:`.sources.base`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from vigil.media.fanout import Subscription
from vigil.media.packet import MediaPacket, StreamKey
from vigil.media.sources.base import Source, SourceStats

__all__ = ["HubStream", "StreamHub", "StreamInfo"]

log = logging.getLogger(__name__)

SourceOpener = Callable[[StreamKey], Awaitable[Source]]
KeyframeHook = Callable[[StreamKey, MediaPacket], None]


def _starts_decodable(packet: MediaPacket) -> bool:
    return packet.keyframe


@dataclass(frozen=True, slots=True)
class StreamInfo:
    """What the hub knows about one running stream."""

    key: StreamKey
    consumers: int
    gop_packets: int
    stats: SourceStats | None


class HubStream:
    """One stream in the hub: its source, its consumers and its current GOP (the source's sink)."""

    def __init__(self, hub: StreamHub, key: StreamKey) -> None:
        self.key = key
        self.source: Source | None = None
        self.consumers: set[Subscription[MediaPacket]] = set()
        self.gop: list[MediaPacket] = []
        self.starting: asyncio.Task[None] | None = None
        self.linger: asyncio.TimerHandle | None = None
        self.keyframe_seen = False
        self._hub = hub

    def publish(self, packet: MediaPacket) -> None:
        gop = self.gop
        if packet.keyframe:
            if not self.keyframe_seen:
                self.keyframe_seen = True
                self._hub.first_keyframe(self.key, packet)
            gop.clear()
            gop.append(packet)
        elif gop:
            if len(gop) < self._hub.gop_limit:
                gop.append(packet)
            else:
                # A GOP longer than we keep: late joiners wait for the next keyframe.
                gop.clear()
        dropped = [c for c in self.consumers if not c.offer(packet)]
        for consumer in dropped:
            log.warning(
                "consumer dropped", extra={"stream": str(self.key), "reason": consumer.reason}
            )
            self._hub.leave(self, consumer)

    def end(self, reason: str) -> None:
        log.warning("stream ended by its source", extra={"stream": str(self.key), "reason": reason})
        self._hub.retire(self, reason)


class StreamHub:
    """Owns every running stream; ``stop`` stops all sources and ends every subscription."""

    def __init__(
        self,
        open_source: SourceOpener,
        *,
        linger: float = 10.0,
        queue_limit: int = 512,
        gop_limit: int = 300,
        on_first_keyframe: KeyframeHook | None = None,
    ) -> None:
        if gop_limit >= queue_limit:
            raise ValueError("the GOP kept for late joiners must fit in a consumer's queue")
        self._open_source = open_source
        self._on_first_keyframe = on_first_keyframe
        self.linger = linger
        self.queue_limit = queue_limit
        self.gop_limit = gop_limit
        self._streams: dict[StreamKey, HubStream] = {}
        self._stopping: set[asyncio.Task[None]] = set()
        self._closed = False

    async def subscribe(self, key: StreamKey) -> Subscription[MediaPacket]:
        """Join a stream, starting its source if needed; the first packet will be a keyframe.

        Raises whatever opening or starting the source raised (:class:`SourceError` and the
        like); a subscription is returned only once the source runs.
        """
        if self._closed:
            raise RuntimeError("the stream hub is stopped")
        stream = self._streams.get(key)
        if stream is None:
            stream = self._streams[key] = HubStream(self, key)
            stream.starting = asyncio.create_task(
                self._start(stream), name=f"media.hub.start:{key}"
            )
        if stream.linger is not None:
            stream.linger.cancel()
            stream.linger = None
        consumer: Subscription[MediaPacket] = Subscription(
            self.queue_limit, _starts_decodable, lambda c: self.leave(stream, c)
        )
        consumer.prime(stream.gop)
        stream.consumers.add(consumer)
        assert stream.starting is not None
        try:
            await asyncio.shield(stream.starting)
        except BaseException:
            consumer.close()
            raise
        return consumer

    def first_keyframe(self, key: StreamKey, packet: MediaPacket) -> None:
        if self._on_first_keyframe is not None:
            try:
                self._on_first_keyframe(key, packet)
            except Exception:
                log.exception("first-keyframe hook failed", extra={"stream": str(key)})

    def latest_keyframe(self, key: StreamKey) -> MediaPacket | None:
        stream = self._streams.get(key)
        return stream.gop[0] if stream is not None and stream.gop else None

    def streams(self) -> list[StreamInfo]:
        return [
            StreamInfo(s.key, len(s.consumers), len(s.gop), s.source.stats if s.source else None)
            for s in self._streams.values()
        ]

    def leave(self, stream: HubStream, consumer: Subscription[MediaPacket]) -> None:
        """A consumer left or was dropped: stop the source after the linger if it was the last."""
        stream.consumers.discard(consumer)
        if stream.consumers or self._streams.get(stream.key) is not stream:
            return
        if stream.linger is None:
            loop = asyncio.get_running_loop()
            stream.linger = loop.call_later(self.linger, self._expire, stream)

    def retire(self, stream: HubStream, reason: str) -> None:
        """Take a stream out of the hub now, end its consumers and stop its source."""
        if self._streams.get(stream.key) is stream:
            del self._streams[stream.key]
        if stream.linger is not None:
            stream.linger.cancel()
            stream.linger = None
        for consumer in list(stream.consumers):
            consumer.drop(reason)
        stream.consumers.clear()
        stream.gop.clear()
        task = asyncio.get_running_loop().create_task(
            self._stop_source(stream), name=f"media.hub.stop:{stream.key}"
        )
        self._stopping.add(task)
        task.add_done_callback(self._stopping.discard)

    async def stop(self) -> None:
        self._closed = True
        for stream in list(self._streams.values()):
            self.retire(stream, "media service stopping")
        while self._stopping:
            await asyncio.gather(*self._stopping, return_exceptions=True)

    def _expire(self, stream: HubStream) -> None:
        stream.linger = None
        if not stream.consumers:
            log.info("stopping idle stream", extra={"stream": str(stream.key)})
            self.retire(stream, "no consumers")

    async def _start(self, stream: HubStream) -> None:
        try:
            source = await self._open_source(stream.key)
            stream.source = source
            await source.start(stream)
        except BaseException as exc:
            if self._streams.get(stream.key) is stream:
                del self._streams[stream.key]
            for consumer in list(stream.consumers):
                consumer.drop(f"source failed to start: {exc!r}")
            stream.consumers.clear()
            stream.source = None
            raise
        log.info("stream started", extra={"stream": str(stream.key)})

    async def _stop_source(self, stream: HubStream) -> None:
        starting = stream.starting
        if starting is not None and not starting.done():
            starting.cancel()
        if starting is not None:
            with contextlib.suppress(BaseException):
                await starting
        source = stream.source
        stream.source = None
        if source is None:
            return
        try:
            await source.stop()
        except Exception:
            log.exception("source failed to stop cleanly", extra={"stream": str(stream.key)})
        log.info("stream stopped", extra={"stream": str(stream.key)})
