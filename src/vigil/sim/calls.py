"""The SIP side of a device's video calls: INVITE → 200 with SDP → ACK → stream → BYE.

One :class:`Call` per INVITE dialog, keyed by Call-ID. The 200 OK goes out once the media port is
taken; streaming starts at the ACK (a call never ACKed is dropped after 64·T1). INFO carries
MANSRTSP playback control. When a playback or download range is fully sent, the device sends the
MediaStatus 121 MESSAGE inside the dialog (the platform matches it by Call-ID) and waits for the
platform's BYE; when the media peer goes away, or a test calls :meth:`Calls.hangup`, the device
sends BYE itself. Every path ends in :meth:`MediaSession.close`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, Protocol

from vigil.protocols.errors import MansrtspError, SdpError, SipError
from vigil.protocols.manscdp import MEDIA_STATUS_END_OF_FILE, MediaStatusNotify, encode
from vigil.protocols.mansrtsp import parse_mansrtsp
from vigil.protocols.sdp import make_ssrc, parse_sdp
from vigil.protocols.sip import Dialog, NameAddr, SipRequest, SipResponse, make_response, new_tag
from vigil.sim.config import DeviceConfig
from vigil.sim.media_session import MediaSession
from vigil.sim.sdp_answer import MediaPlan, answer_sdp, plan_media
from vigil.sim.sip_link import Respond, SipLink
from vigil.sim.video import Picture, shared_loop

__all__ = ["Call", "CallHost", "Calls"]

log = logging.getLogger(__name__)

MANSCDP = "Application/MANSCDP+xml"
#: 64·T1: how long a 200 OK waits for its ACK before the call is dropped.
ACK_TIMEOUT = 32.0
T1, T2 = 0.5, 4.0
_SSRC_INDEXES = 10_000


class CallHost(Protocol):
    """What calls need from their device."""

    config: DeviceConfig
    #: Channels whose picture is switched away from normal (see ``SimDevice.set_picture``).
    pictures: dict[str, Picture]
    #: Channels whose view is turned by PTZ (see ``SimDevice.ptz``), in ``view_of`` steps.
    views: dict[str, int]

    @property
    def link(self) -> SipLink: ...

    def contact(self) -> NameAddr: ...

    def has_channel(self, channel_id: str) -> bool: ...

    def next_sn(self) -> int: ...


@dataclass(slots=True)
class Call:
    """One INVITE dialog and its media."""

    call_id: str
    channel_id: str
    plan: MediaPlan
    media: MediaSession
    dialog: Dialog
    acked: bool = False
    end_of_file_sent: bool = False
    ack_timer: asyncio.TimerHandle | None = field(default=None, repr=False)


class Calls:
    """The calls of one device."""

    def __init__(self, host: CallHost) -> None:
        self.host = host
        self.active: dict[str, Call] = {}
        self._ssrc_index = 0
        self._tasks: set[asyncio.Task[None]] = set()

    def _fallback_ssrc(self, history: bool) -> str:
        self._ssrc_index = (self._ssrc_index + 1) % _SSRC_INDEXES
        return make_ssrc(self.host.config.domain, history, self._ssrc_index)

    async def on_invite(self, request: SipRequest, respond: Respond) -> None:
        if request.to.tag is not None:
            respond(make_response(request, 488, "Re-INVITE Not Supported"))
            return
        channel_id = request.request_uri.user or ""
        if not self.host.has_channel(channel_id):
            respond(make_response(request, 404))
            return
        try:
            offer = parse_sdp(request.body)
            plan = plan_media(offer, self._fallback_ssrc(offer.kind != "Play"))
        except SdpError as exc:
            respond(make_response(request, 488, "Not Acceptable Here"))
            log.info("INVITE refused", extra={"channel_id": channel_id, "error": str(exc)})
            return
        config = self.host.config
        picture = self.host.pictures.get(channel_id, "normal")
        gop = await shared_loop(
            config.video_of(channel_id), picture, self.host.views.get(channel_id, 0)
        )
        call_id = request.call_id
        host = self.host.link.local_host
        media = MediaSession(
            plan,
            gop,
            host=host,
            name=f"{channel_id}:{plan.ssrc}",
            on_end=lambda complete: self._spawn(self._stream_ended(call_id, complete), call_id),
        )
        try:
            port = await media.open()
            answer = answer_sdp(
                plan, channel_id=channel_id, address=host, port=port, video=gop.spec
            )
            response = make_response(
                request,
                200,
                to_tag=new_tag(),
                headers=[("Contact", str(self.host.contact()))],
                body=bytes(answer),
                content_type="application/sdp",
            )
            dialog = Dialog.from_uas(request, response)
        except (OSError, SipError) as exc:
            await media.close()
            respond(make_response(request, 400 if isinstance(exc, SipError) else 500))
            return
        call = Call(call_id, channel_id, plan, media, dialog)
        call.ack_timer = asyncio.get_running_loop().call_later(
            ACK_TIMEOUT, lambda: self._spawn(self._drop(call_id), call_id)
        )
        self.active[call_id] = call
        respond(response)
        if not self.host.link.reliable:
            self._spawn(self._retransmit(call, respond, response), call_id)
        log.info(
            "call answered",
            extra={"channel_id": channel_id, "kind": plan.kind.value, "transport": plan.transport},
        )

    async def on_ack(self, request: SipRequest) -> None:
        call = self.active.get(request.call_id)
        if call is None or call.acked:
            return
        call.acked = True
        if call.ack_timer is not None:
            call.ack_timer.cancel()
        try:
            await call.media.start()
        except (OSError, TimeoutError) as exc:
            log.warning(
                "media connection failed", extra={"channel_id": call.channel_id, "error": str(exc)}
            )
            await self.hangup(call.call_id)

    async def on_info(self, request: SipRequest, respond: Respond) -> None:
        call = self.active.get(request.call_id)
        if call is None:
            respond(make_response(request, 481))
            return
        try:
            call.dialog.on_request(request)
            control = parse_mansrtsp(request.body)
        except SipError as exc:
            respond(make_response(request, exc.status_hint))
            return
        except MansrtspError:
            respond(make_response(request, 400, "Bad MANSRTSP"))
            return
        if not call.media.control(control):
            respond(make_response(request, 481, "No Stream Yet"))
            return
        respond(make_response(request, 200))

    async def on_bye(self, request: SipRequest, respond: Respond) -> None:
        call = self.active.pop(request.call_id, None)
        if call is None:
            respond(make_response(request, 481))
            return
        with contextlib.suppress(SipError):
            call.dialog.on_request(request)
        respond(make_response(request, 200))
        await self._release(call)
        log.info("call ended by platform", extra={"channel_id": call.channel_id})

    async def hangup(self, call_id: str) -> bool:
        """End a call from the device side with BYE; False if there is no such call."""
        call = self.active.pop(call_id, None)
        if call is None:
            return False
        await self._release(call)
        link = self.host.link
        bye = call.dialog.bye(via=link.via())
        with contextlib.suppress(TimeoutError, ConnectionError):
            await link.request(bye)
        log.info("call ended by device", extra={"channel_id": call.channel_id})
        return True

    async def close(self) -> None:
        """Hang up every call (device stop) and cancel the call tasks."""
        for call_id in list(self.active):
            await self.hangup(call_id)
        for task in list(self._tasks):
            task.cancel()

    async def _stream_ended(self, call_id: str, complete: bool) -> None:
        call = self.active.get(call_id)
        if call is None:
            return
        if not (complete and call.plan.history):
            await self.hangup(call_id)
            return
        call.end_of_file_sent = True
        status = MediaStatusNotify(
            sn=self.host.next_sn(), device_id=call.channel_id, notify_type=MEDIA_STATUS_END_OF_FILE
        )
        link = self.host.link
        message = call.dialog.request(
            "MESSAGE",
            via=link.via(),
            body=encode(status, self.host.config.charset),
            content_type=MANSCDP,
        )
        with contextlib.suppress(TimeoutError, ConnectionError):
            await link.request(message)
        log.info("end of file", extra={"channel_id": call.channel_id})

    async def _retransmit(self, call: Call, respond: Respond, response: SipResponse) -> None:
        """RFC 3261 §13.3.1.4: over UDP the 2xx is resent (T1 doubling to T2) until the ACK
        arrives or the call is dropped for want of one."""
        interval = T1
        while True:
            await asyncio.sleep(interval)
            if call.acked or self.active.get(call.call_id) is not call:
                return
            respond(response)
            interval = min(2 * interval, T2)

    async def _drop(self, call_id: str) -> None:
        call = self.active.pop(call_id, None)
        if call is not None and not call.acked:
            log.warning("no ACK: call dropped", extra={"channel_id": call.channel_id})
            await self._release(call)

    async def _release(self, call: Call) -> None:
        if call.ack_timer is not None:
            call.ack_timer.cancel()
        await call.media.close()

    def _spawn(self, coro: Coroutine[Any, Any, None], call_id: str) -> None:
        task = asyncio.get_running_loop().create_task(coro, name=f"sim.call:{call_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
