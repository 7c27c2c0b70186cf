"""One simulated GB/T 28181 device (an NVR with ``channels`` cameras) as the platform sees it.

It registers with digest authentication and refreshes before expiry, sends keepalives, answers
MANSCDP queries and controls, takes video calls and subscriptions, and unregisters on stop. Tests
drive the behaviours a platform must cope with through small methods: stop keepalives (the device
goes silent and should be marked offline), move to another source address (NAT rebinding: a
keepalive refused with 403 from there makes it register again at once, which should update the
device, not mark it offline), raise an alarm, switch a channel off, hang up a
stream, and read what the platform made it do (PTZ state, control log, streams).

Several devices may share one :class:`SipLink` (a swarm's UDP socket); a device moved with
:meth:`move_to` gets a link of its own. The SIP side (link, requests, registration, keepalives)
is :class:`~vigil.sim.sip_device.SipDevice`'s; this module adds what the device answers.
"""

from __future__ import annotations

import collections
import contextlib
import logging
from dataclasses import replace

from vigil.protocols.errors import ManscdpError
from vigil.protocols.manscdp import (
    AlarmInfo,
    AlarmNotify,
    CatalogNotify,
    DeviceControl,
    DeviceControlResponse,
    Message,
    Query,
    decode,
)
from vigil.protocols.sip import (
    SipRequest,
    SipResponse,
    make_response,
)
from vigil.sim.calls import Calls
from vigil.sim.catalog import SimChannel, catalog_items, make_channels
from vigil.sim.commands import CommandAnswers
from vigil.sim.config import DeviceConfig
from vigil.sim.controls import ChannelPtz, ControlState
from vigil.sim.sip_device import SipDevice
from vigil.sim.sip_link import Respond, SipLink
from vigil.sim.subscriptions import Subscriptions
from vigil.sim.video import PICTURES, Picture, shared_loop, view_of

__all__ = ["SimDevice"]

log = logging.getLogger(__name__)

_RECEIVED_KEPT = 200


class SimDevice(SipDevice):
    """A device; ``await start()``, ``await wait_registered()``, …, ``await stop()``."""

    def __init__(self, config: DeviceConfig, *, link: SipLink | None = None) -> None:
        super().__init__(config, link=link)
        self.channels: list[SimChannel] = make_channels(
            config.device_id, config.channels, config.centre
        )
        self.controls = ControlState()
        self.pictures: dict[str, Picture] = {}
        self.views: dict[str, int] = {}
        self.answers = CommandAnswers(config, lambda: self.channels, self.controls)
        self.calls = Calls(self)
        self.subscriptions = Subscriptions(self)
        #: MANSCDP messages the platform sent (newest last), for tests.
        self.received: collections.deque[Message] = collections.deque(maxlen=_RECEIVED_KEPT)

    def _users(self) -> list[str]:
        return [self.device_id, *(ch.channel_id for ch in self.channels)]

    async def _close_sessions(self) -> None:
        await self.calls.close()
        self.subscriptions.close()

    # -- what tests drive ---------------------------------------------------------------------

    def ptz(self, channel_id: str) -> ChannelPtz:
        """PTZ state of a channel: motion in progress, position, presets, commands received."""
        return self.controls.channel_ptz(channel_id)

    def has_channel(self, channel_id: str) -> bool:
        return any(ch.channel_id == channel_id for ch in self.channels)

    async def set_picture(self, channel_id: str, picture: Picture) -> None:
        """Show a fault on a channel (``frozen``, ``black``) or the ``normal`` picture again.

        New calls send it; the channel's running calls switch at their next keyframe.
        """
        if picture not in PICTURES:
            raise ValueError(f"picture must be one of {PICTURES}, got {picture!r}")
        self._channel(channel_id)
        self.pictures[channel_id] = picture
        await self._show(channel_id)

    def set_ptz_responding(self, channel_id: str, responding: bool) -> None:
        """Break a channel's PTZ (``False``: commands are accepted but nothing moves) or mend it."""
        self._channel(channel_id)
        if responding:
            self.controls.ignore_ptz.discard(channel_id)
        else:
            self.controls.ignore_ptz.add(channel_id)

    async def _follow_pan(self, channel_id: str) -> None:
        """After a PTZ command: turn the channel's view to its pan, if that changed the view."""
        if not self.has_channel(channel_id):
            return
        view = view_of(self.controls.channel_ptz(channel_id).pan)
        if view != self.views.get(channel_id, 0):
            self.views[channel_id] = view
            await self._show(channel_id)

    async def _show(self, channel_id: str) -> None:
        """Switch the channel's running calls to its picture and view at their next keyframe."""
        picture = self.pictures.get(channel_id, "normal")
        video = self.config.video_of(channel_id)
        gop = await shared_loop(video, picture, self.views.get(channel_id, 0))
        for call in self.calls.active.values():
            if call.channel_id == channel_id and call.media.streamer is not None:
                call.media.streamer.switch(gop)

    async def set_channel_status(self, channel_id: str, status: str) -> int:
        """Switch a channel ON/OFF; NOTIFY Catalog subscribers; returns how many accepted."""
        self.channels = [
            ch.with_status(status) if ch.channel_id == channel_id else ch for ch in self.channels
        ]
        changed = [ch for ch in self.channels if ch.channel_id == channel_id]
        items = tuple(
            replace(item, event=status) for item in catalog_items(self.device_id, changed)
        )
        notify = CatalogNotify(
            sn=self.next_sn(), device_id=self.device_id, sum_num=len(items), items=items
        )
        return await self.subscriptions.notify("catalog", notify)

    async def raise_alarm(
        self,
        channel_id: str | None = None,
        *,
        priority: int = 1,
        method: int = 5,
        alarm_type: int = 2,
        description: str = "区域入侵",
    ) -> SipResponse | None:
        """Raise an alarm: NOTIFY to Alarm subscribers if any, else MESSAGE (A.2.5.3)."""
        channel = self.channels[0] if channel_id is None else self._channel(channel_id)
        alarm = AlarmNotify(
            sn=self.next_sn(),
            device_id=channel.channel_id,
            alarm_priority=priority,
            alarm_method=method,
            alarm_time=self.answers.local_now(),
            alarm_description=description,
            longitude=channel.longitude,
            latitude=channel.latitude,
            info=AlarmInfo(alarm_type=alarm_type),
        )
        if await self.subscriptions.notify("alarm", alarm):
            return None
        return await self.send_manscdp(alarm)

    async def stop_stream(self, call_id: str | None = None) -> bool:
        """Hang up one call (or the only one) with BYE, as a device whose stream failed."""
        if call_id is None:
            if len(self.calls.active) != 1:
                return False
            call_id = next(iter(self.calls.active))
        return await self.calls.hangup(call_id)

    # -- requests from the platform -----------------------------------------------------------

    async def _on_request(self, request: SipRequest, respond: Respond) -> None:
        method = request.method
        if method == "MESSAGE":
            await self._on_message(request, respond)
        elif method == "INVITE":
            await self.calls.on_invite(request, respond)
        elif method == "ACK":
            await self.calls.on_ack(request)
        elif method == "BYE":
            await self.calls.on_bye(request, respond)
        elif method == "INFO":
            await self.calls.on_info(request, respond)
        elif method == "SUBSCRIBE":
            await self.subscriptions.on_subscribe(request, respond)
        elif method in ("OPTIONS", "CANCEL", "NOTIFY"):
            respond(make_response(request, 200))
        else:
            respond(make_response(request, 405))

    async def _on_message(self, request: SipRequest, respond: Respond) -> None:
        try:
            message = decode(request.body)
        except ManscdpError as exc:
            respond(make_response(request, 400, "Bad MANSCDP"))
            log.info("bad MANSCDP", extra={**self._log, "error": str(exc)})
            return
        self.received.append(message)
        respond(make_response(request, 200))
        if isinstance(message, Query):
            replies: list[Message] = list(self.answers.answer(message))
        elif isinstance(message, DeviceControl):
            result = self.controls.apply(message)
            if message.ptz_cmd is not None:
                await self._follow_pan(message.device_id)
            replies = []
            if result is not None:
                replies.append(
                    DeviceControlResponse(sn=message.sn, device_id=message.device_id, result=result)
                )
        else:
            return
        for reply in replies:
            with contextlib.suppress(TimeoutError, ConnectionError):
                await self.send_manscdp(reply)

    def _channel(self, channel_id: str) -> SimChannel:
        for channel in self.channels:
            if channel.channel_id == channel_id:
                return channel
        raise KeyError(channel_id)
