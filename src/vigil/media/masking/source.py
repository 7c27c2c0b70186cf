"""A masked stream as a source of the hub: the camera's stream, re-encoded with its privacy
masks blurred, produced only while someone watches it.

The hub opens a :class:`MaskedSource` for a key with masks (``StreamKey.masks``); it joins the
camera's own stream in the same hub (which starts that one if nobody else watches it), feeds its
packets through a :class:`~vigil.media.masking.transcoder.MaskingTranscoder` in a thread of its
own — one per masked stream, so packets stay in order and the event loop never decodes — and
publishes what comes out. When the hub stops it, it leaves the camera's stream (which then
lingers and stops like any other). If the camera's stream ends, so does the masked one.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

from vigil.media.fanout import ConsumerDropped, Subscription
from vigil.media.hub import StreamHub
from vigil.media.masking.transcoder import MaskingTranscoder
from vigil.media.packet import MediaPacket, StreamKey
from vigil.media.sources.base import PacketSink, SourceStats
from vigil.tasks import cancel_and_wait

__all__ = ["MaskedSource"]

log = logging.getLogger(__name__)

_BATCH = 16
"""Packets handed to the thread at once when the camera's stream is ahead of the encoder."""


class MaskedSource:
    """Produces ``key`` (a key with masks) from ``key.raw`` in the same hub."""

    def __init__(self, hub: StreamHub, key: StreamKey) -> None:
        if not key.masks:
            raise ValueError(f"{key} has no masks to apply")
        self.key = key
        self._hub = hub
        self._stats = SourceStats()
        self._transcoder = MaskingTranscoder(key.masks)
        self._executor: ThreadPoolExecutor | None = None
        self._task: asyncio.Task[None] | None = None
        self._packets: Subscription[MediaPacket] | None = None

    @property
    def stats(self) -> SourceStats:
        return self._stats

    async def start(self, sink: PacketSink) -> None:
        self._packets = await self._hub.subscribe(self.key.raw)
        self._executor = ThreadPoolExecutor(1, thread_name_prefix=f"media.mask:{self.key.raw}")
        self._task = asyncio.create_task(self._run(sink), name=f"media.mask:{self.key}")

    async def stop(self) -> None:
        if self._task is not None:
            await cancel_and_wait(self._task)
            self._task = None
        if self._packets is not None:
            self._packets.close()
            self._packets = None
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
        self._transcoder.close()

    async def _run(self, sink: PacketSink) -> None:
        assert self._packets is not None and self._executor is not None
        loop = asyncio.get_running_loop()
        packets = self._packets
        try:
            async for first in packets:
                batch = [first, *packets.take(_BATCH - 1)]
                masked = await loop.run_in_executor(self._executor, self._feed, batch)
                for packet in masked:
                    self._count(packet)
                    sink.publish(packet)
        except ConsumerDropped as exc:
            log.warning("camera stream left", extra={"stream": str(self.key), "reason": str(exc)})
            sink.end(f"the camera's stream ended: {exc}")
            return
        sink.end("the camera's stream ended")

    def _feed(self, batch: list[MediaPacket]) -> list[MediaPacket]:
        return [out for packet in batch for out in self._transcoder.feed(packet)]

    def _count(self, packet: MediaPacket) -> None:
        stats = self._stats
        stats.packets += 1
        stats.frames += packet.codec.is_video
        stats.bytes += len(packet.data)
        stats.last_arrival = packet.arrival
