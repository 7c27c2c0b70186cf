"""Live fMP4 broadcasts: per stream, one hub subscription and one muxer, many viewers.

A WebSocket viewer or an HLS packager :meth:`Broadcasts.join` a stream and gets the init segment
and a :class:`~vigil.media.fanout.Subscription` of fragments that starts at a keyframe: the
current GOP's fragments first (so playback starts at once), then live ones. The muxing is done
once per stream whatever the number of viewers. When the last viewer leaves, the broadcast ends
and its hub subscription closes; the hub then stops the source after its linger time.
"""

from __future__ import annotations

import asyncio
import logging

from vigil.media.fanout import ConsumerDropped, Subscription
from vigil.media.hub import StreamHub
from vigil.media.live.fmp4 import Fmp4Muxer, Fragment
from vigil.media.packet import MediaPacket, StreamKey
from vigil.tasks import cancel_and_wait

__all__ = ["Broadcast", "Broadcasts", "Viewer"]

log = logging.getLogger(__name__)


def _starts_decodable(fragment: Fragment) -> bool:
    return fragment.keyframe


class Viewer:
    """What a viewer gets: the init segment once, then fragments (close it when done)."""

    def __init__(self, init: bytes, fragments: Subscription[Fragment]) -> None:
        self.init = init
        self.fragments = fragments

    def close(self) -> None:
        self.fragments.close()


class Broadcast:
    """One stream's muxer and viewers; runs as the task ``media.fmp4:<key>``."""

    def __init__(self, owner: Broadcasts, key: StreamKey) -> None:
        self.key = key
        self.viewers: set[Subscription[Fragment]] = set()
        self.gop: list[Fragment] = []
        self.ready = asyncio.Event()
        self.muxer = Fmp4Muxer()
        self.task: asyncio.Task[None] | None = None
        self.ended: str | None = None
        self._owner = owner

    async def run(self, packets: Subscription[MediaPacket]) -> None:
        reason = "broadcast stopped"
        try:
            async with packets:
                # Muxing a frame is short and never waits: it runs as the hub offers each
                # packet, and this task only waits for the stream's end (nothing is queued).
                packets.deliver_to(self._feed)
                async for _ in packets:
                    pass
            reason = "stream ended"
        except ConsumerDropped as exc:
            reason = exc.reason
        finally:
            self.ended = reason
            self.ready.set()
            for viewer in list(self.viewers):
                viewer.drop(reason)
            self.viewers.clear()
            self.muxer.close()
            self._owner.forget(self)

    def _feed(self, packet: MediaPacket) -> None:
        self._send(self.muxer.feed(packet))

    def _send(self, fragments: list[Fragment]) -> None:
        for fragment in fragments:
            if fragment.keyframe:
                self.gop = [fragment]
                self.ready.set()
            elif self.gop and len(self.gop) < self._owner.gop_limit:
                self.gop.append(fragment)
            else:
                self.gop = []
            dropped = [v for v in self.viewers if not v.offer(fragment)]
            for viewer in dropped:
                log.warning(
                    "live viewer dropped", extra={"stream": str(self.key), "reason": viewer.reason}
                )
                self.leave(viewer)

    def leave(self, viewer: Subscription[Fragment]) -> None:
        self.viewers.discard(viewer)
        if not self.viewers and self.task is not None:
            self._owner.forget(self)
            self.task.cancel()


class Broadcasts:
    """Every live fMP4 broadcast of this node."""

    def __init__(
        self, hub: StreamHub, *, queue_limit: int = 512, gop_limit: int = 300, timeout: float = 10
    ) -> None:
        self._hub = hub
        self.queue_limit = queue_limit
        self.gop_limit = gop_limit
        self.timeout = timeout
        self._broadcasts: dict[StreamKey, Broadcast] = {}

    @property
    def active(self) -> dict[StreamKey, Broadcast]:
        return dict(self._broadcasts)

    async def join(self, key: StreamKey) -> Viewer:
        """Become a viewer of ``key``; waits (``timeout``) for the stream's first keyframe.

        Raises :class:`ConsumerDropped` when the stream ends or shows no keyframe in time, and
        whatever starting the source raised.
        """
        broadcast = self._broadcasts.get(key)
        if broadcast is None:
            packets = await self._hub.subscribe(key)
            broadcast = self._broadcasts.get(key)
            if broadcast is None:
                broadcast = self._broadcasts[key] = Broadcast(self, key)
                broadcast.task = asyncio.create_task(
                    broadcast.run(packets), name=f"media.fmp4:{key}"
                )
            else:
                packets.close()
        viewer: Subscription[Fragment] = Subscription(
            self.queue_limit, _starts_decodable, broadcast.leave
        )
        viewer.prime(broadcast.gop)
        broadcast.viewers.add(viewer)
        try:
            await asyncio.wait_for(broadcast.ready.wait(), self.timeout)
        except TimeoutError:
            viewer.close()
            raise ConsumerDropped(f"no keyframe within {self.timeout:g} s") from None
        except BaseException:
            viewer.close()
            raise
        init = broadcast.muxer.init
        if init is None:
            viewer.close()
            raise ConsumerDropped(broadcast.ended or "stream ended")
        return Viewer(init, viewer)

    def forget(self, broadcast: Broadcast) -> None:
        if self._broadcasts.get(broadcast.key) is broadcast:
            del self._broadcasts[broadcast.key]

    async def stop(self) -> None:
        await cancel_and_wait(*(b.task for b in self._broadcasts.values()))
