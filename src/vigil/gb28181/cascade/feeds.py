"""Where the video an upper platform asked for comes from: the hub, Vigil's recordings, the device.

Each feed is opened while the INVITE is answered (so a failure becomes the INVITE's error), is
started at the ACK with the :class:`~vigil.media.outbound.sender.PacketSender` that sends to the
upper platform, and is stopped on every path. ``on_end(complete)`` reports a feed that ended on its
own: ``True`` for a playback or download sent to its end (the caller sends MediaStatus 121),
``False`` for anything else (the caller sends BYE).

* :class:`LiveFeed` — a consumer of the stream hub, like a local viewer: the channel's one source
  is shared with everyone watching and started on demand; leaving releases it.
* :class:`RecordedFeed` — a range of Vigil's own recording segments, paced at the asked speed.
* :class:`DeviceFeed` — the device's own recording, through a GB/T 28181 playback or download
  call relayed frame by frame; MANSRTSP goes on to the device in the call's dialog.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Protocol

from vigil.errors import VigilError
from vigil.gb28181.calls.media_call import END_OF_FILE, GbCall
from vigil.gb28181.sip.messages import MANSRTSP
from vigil.media import (
    ConsumerDropped,
    MediaPacket,
    PacketSender,
    RecordedStream,
    StoredSegment,
    Subscription,
    relay,
)
from vigil.protocols.errors import ProtocolError
from vigil.protocols.mansrtsp import MansrtspRequest, Method
from vigil.protocols.sdp.answer import MediaPlan
from vigil.tasks import cancel_and_wait

__all__ = ["DeviceFeed", "Feed", "LiveFeed", "RecordedFeed"]

log = logging.getLogger(__name__)

#: Frames a device feed keeps while the upper platform's ACK is on its way.
EARLY_FRAMES = 256

OnEnd = Callable[[bool], None]


class Feed(Protocol):
    """One source of frames for one upper-platform call."""

    async def start(self, sender: PacketSender, on_end: OnEnd) -> None: ...

    async def control(self, request: MansrtspRequest, body: bytes) -> bool: ...

    async def stop(self) -> None: ...


class LiveFeed:
    """A stream hub consumer relayed to the upper platform."""

    def __init__(self, subscription: Subscription[MediaPacket], name: str) -> None:
        self.subscription = subscription
        self._name = name
        self._task: asyncio.Task[None] | None = None

    async def start(self, sender: PacketSender, on_end: OnEnd) -> None:
        self._task = asyncio.get_running_loop().create_task(
            self._run(sender, on_end), name=f"cascade.live:{self._name}"
        )

    async def _run(self, sender: PacketSender, on_end: OnEnd) -> None:
        try:
            await relay(self.subscription, sender)
            reason = "the upper platform's media connection closed"
        except ConsumerDropped as exc:
            reason = exc.reason
        except (ConnectionError, OSError) as exc:
            reason = f"sending failed: {exc}"
        log.info("live feed ended", extra={"stream": self._name, "reason": reason})
        self.subscription.close()
        on_end(False)

    async def control(self, request: MansrtspRequest, body: bytes) -> bool:
        return False  # live video has nothing to pause or seek

    async def stop(self) -> None:
        task, self._task = self._task, None
        await cancel_and_wait(task)
        self.subscription.close()


class RecordedFeed:
    """Vigil's own recording of the plan's ``[start, stop)`` (epoch seconds) at its speed."""

    def __init__(
        self,
        segments: Sequence[StoredSegment],
        plan: MediaPlan,
        name: str,
        masks: Sequence[Sequence[tuple[float, float]]] = (),
    ) -> None:
        self.segments = tuple(segments)
        self.start_at, self.end_at, self.speed = plan.start, plan.stop, plan.speed
        self.masks = tuple(tuple(m) for m in masks)
        self.stream: RecordedStream | None = None
        self._name = name

    async def start(self, sender: PacketSender, on_end: OnEnd) -> None:
        self.stream = RecordedStream(
            self.segments,
            self.start_at,
            self.end_at,
            sender,
            speed=self.speed,
            name=f"cascade.recorded:{self._name}",
            on_end=on_end,
            masks=self.masks,
        )
        self.stream.start()

    async def control(self, request: MansrtspRequest, body: bytes) -> bool:
        stream = self.stream
        if stream is None:
            return False
        if request.method is Method.PAUSE:
            stream.pause()
        elif request.method is Method.PLAY:
            position = None if request.range is None else request.range.start
            stream.play(scale=request.scale, position=position)
        else:
            return False
        return True

    async def stop(self) -> None:
        if self.stream is not None:
            await self.stream.stop()


class DeviceFeed:
    """A device's recording through a playback/download call, relayed without remuxing twice:
    the call's frames go straight to the sender (held briefly until the upper's ACK)."""

    def __init__(self, call: GbCall, name: str) -> None:
        self.call = call
        self._name = name
        self._sender: PacketSender | None = None
        self._early: list[MediaPacket] = []
        self._on_end: OnEnd | None = None
        self._ended = False

    async def open(self) -> None:
        """Start receiving at once: the device streams from its ACK on."""
        self.call.on_end = self._call_ended
        await self.call.start(self)

    # the call's sink ---------------------------------------------------------------------------

    def publish(self, packet: MediaPacket) -> None:
        sender = self._sender
        if sender is None:
            if len(self._early) < EARLY_FRAMES:
                self._early.append(packet)
            return
        if sender.sink.closed:
            self._finish(False)
            return
        sender.send(packet)

    def end(self, reason: str) -> None:
        log.info("device feed stopped", extra={"stream": self._name, "reason": reason})
        self._finish(False)

    def _call_ended(self, reason: str) -> None:
        self._finish(reason == END_OF_FILE)

    def _finish(self, complete: bool) -> None:
        if self._ended:
            return
        self._ended = True
        if self._on_end is not None:
            self._on_end(complete)

    # the feed ----------------------------------------------------------------------------------

    async def start(self, sender: PacketSender, on_end: OnEnd) -> None:
        self._sender, self._on_end = sender, on_end
        early, self._early = self._early, []
        for packet in early:
            sender.send(packet)

    async def control(self, request: MansrtspRequest, body: bytes) -> bool:
        """Forward the upper platform's MANSRTSP to the device as it came."""
        try:
            answer = await self.call.send_in_dialog("INFO", body, MANSRTSP)
        except (TimeoutError, OSError, VigilError, ProtocolError) as exc:  # silent, offline, gone
            log.info("device did not answer playback control", extra={"error": str(exc)})
            return False
        return 200 <= answer.status < 300

    async def stop(self) -> None:
        await self.call.close()
