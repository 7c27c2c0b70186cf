"""One simulated GB/T 28181 device (an NVR with ``channels`` cameras) as the platform sees it.

It registers with digest authentication and refreshes before expiry, sends keepalives, answers
MANSCDP queries and controls, takes video calls and subscriptions, and unregisters on stop. Tests
drive the behaviours a platform must cope with through small methods: stop keepalives (the device
goes silent and should be marked offline), move to another source address (NAT rebinding: a
keepalive refused with 403 from there makes it register again at once, which should update the
device, not mark it offline), raise an alarm, switch a channel off, hang up a
stream, and read what the platform made it do (PTZ state, control log, streams).

Several devices may share one :class:`SipLink` (a swarm's UDP socket); a device moved with
:meth:`move_to` gets a link of its own.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
from dataclasses import replace

from vigil.protocols.errors import ManscdpError, SipError
from vigil.protocols.manscdp import (
    AlarmInfo,
    AlarmNotify,
    CatalogNotify,
    DeviceControl,
    DeviceControlResponse,
    Keepalive,
    Message,
    Query,
    decode,
    encode,
)
from vigil.protocols.sip import (
    DigestChallenge,
    NameAddr,
    SipRequest,
    SipResponse,
    SipUri,
    authorize,
    make_request,
    make_response,
    new_call_id,
    new_tag,
)
from vigil.sim.calls import MANSCDP, Calls
from vigil.sim.catalog import SimChannel, catalog_items, make_channels
from vigil.sim.commands import CommandAnswers
from vigil.sim.config import DeviceConfig
from vigil.sim.controls import ChannelPtz, ControlState
from vigil.sim.sip_link import Respond, SipLink
from vigil.sim.subscriptions import Subscriptions
from vigil.sim.video import PICTURES, Picture, shared_loop, view_of

__all__ = ["SimDevice"]

log = logging.getLogger(__name__)

USER_AGENT = "Vigil-Sim/1.0"
#: Re-register when this share of the granted lifetime has passed.
REFRESH_AT = 0.8
#: How long stop() waits for the unregister answer.
UNREGISTER_TIMEOUT = 2.0
_RECEIVED_KEPT = 200


class SimDevice:
    """A device; ``await start()``, ``await wait_registered()``, …, ``await stop()``."""

    def __init__(self, config: DeviceConfig, *, link: SipLink | None = None) -> None:
        self.config = config
        self.device_id = config.device_id
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
        self.registered = asyncio.Event()
        self.keepalives_enabled = True
        self.keepalives_sent = 0
        self.registrations = 0
        self._link = link
        self._own_link = link is None
        self._call_id = new_call_id()
        self._from_tag = new_tag()
        self._cseq = 0
        self._sn = 0
        self._granted = config.register_expires
        self._misses = 0
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._log = {"device_id": self.device_id}

    # -- lifecycle ----------------------------------------------------------------------------

    @property
    def link(self) -> SipLink:
        if self._link is None:
            raise RuntimeError("device is not started")
        return self._link

    @property
    def address(self) -> tuple[str, int]:
        """The local SIP address the platform sees as this device's source."""
        return self.link.local

    async def start(self) -> None:
        """Open the link (unless shared), then register and keep alive in the background."""
        if self._link is None:
            self._link = await self._open_link(self.config.local_host)
        self._attach(self._link)
        name = self.device_id
        self._tasks = [
            asyncio.create_task(self._registration_loop(), name=f"sim.register:{name}"),
            asyncio.create_task(self._keepalive_loop(), name=f"sim.keepalive:{name}"),
        ]

    async def wait_registered(self, timeout: float = 10.0) -> None:
        await asyncio.wait_for(self.registered.wait(), timeout)

    async def stop(self, *, unregister: bool = True) -> None:
        """Hang up calls, unregister (Expires: 0), close the link if it is the device's own."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        if self._link is None:
            return
        await self.calls.close()
        self.subscriptions.close()
        if unregister and self.registered.is_set():
            with contextlib.suppress(TimeoutError, ConnectionError, OSError, SipError):
                await asyncio.wait_for(self._register(0), UNREGISTER_TIMEOUT)
        self.registered.clear()
        self._detach(self._link)
        if self._own_link:
            self._link.close()
        self._link = None

    # -- what tests drive ---------------------------------------------------------------------

    def pause_keepalives(self) -> None:
        """Go silent: no keepalives (registration refreshes continue unless paused too)."""
        self.keepalives_enabled = False

    def resume_keepalives(self) -> None:
        self.keepalives_enabled = True
        self._wake.set()

    async def move_to(self, host: str, *, reregister: bool = False) -> tuple[str, int]:
        """Send from a new address (NAT rebinding): a new socket on ``host`` (any 127.x.y.z)."""
        new = await self._open_link(host)
        old = self.link
        self._detach(old)
        if self._own_link:
            old.close()
        self._link, self._own_link = new, True
        self._attach(new)
        log.info("device moved", extra={**self._log, "address": f"{new.local[0]}:{new.local[1]}"})
        if reregister:
            await self._register_now()
        return new.local

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

    # -- SIP plumbing shared with calls and subscriptions --------------------------------------

    def contact(self) -> NameAddr:
        host, port = self.link.local
        return NameAddr(SipUri(host, self.device_id, port))

    def next_sn(self) -> int:
        self._sn += 1
        return self._sn

    def _identity(self) -> NameAddr:
        return NameAddr(SipUri(self.config.domain, self.device_id))

    def _request(
        self,
        method: str,
        *,
        body: bytes = b"",
        content_type: str | None = None,
        headers: list[tuple[str, str]] | None = None,
        call_id: str | None = None,
    ) -> SipRequest:
        config = self.config
        self._cseq += 1
        return make_request(
            method,
            SipUri(config.domain, config.server_id),
            via=self.link.via(),
            from_=self._identity().with_tag(self._from_tag),
            to=NameAddr(SipUri(config.domain, config.server_id)),
            call_id=call_id or new_call_id(),
            cseq=self._cseq,
            contact=self.contact() if method == "REGISTER" else None,
            headers=[("User-Agent", USER_AGENT), ("X-GB-Ver", config.gb_header), *(headers or [])],
            body=body,
            content_type=content_type,
        )

    async def send_manscdp(self, message: Message) -> SipResponse:
        """Send a MANSCDP body in a MESSAGE to the platform; its final response."""
        body = encode(message, self.config.charset)
        return await self.link.request(self._request("MESSAGE", body=body, content_type=MANSCDP))

    # -- registration and keepalive -----------------------------------------------------------

    async def _open_link(self, host: str) -> SipLink:
        link = SipLink(self.config.transport, host, self.config.server)
        await link.open()
        return link

    def _attach(self, link: SipLink) -> None:
        for user in (self.device_id, *(ch.channel_id for ch in self.channels)):
            link.attach(user, self._on_request)

    def _detach(self, link: SipLink) -> None:
        for user in (self.device_id, *(ch.channel_id for ch in self.channels)):
            link.detach(user)

    async def _register(self, expires: int) -> int:
        """One REGISTER (answering a digest challenge); the granted lifetime, or raises."""
        headers = [("Expires", str(expires))]
        request = self._request("REGISTER", headers=headers, call_id=self._call_id)
        response = await self.link.request(request)
        if response.status in (401, 407):
            name = "WWW-Authenticate" if response.status == 401 else "Proxy-Authenticate"
            challenge = DigestChallenge.parse(response.headers.get(name) or "")
            credentials = authorize(
                challenge,
                username=self.device_id,
                password=self.config.password,
                method="REGISTER",
                uri=request.uri,
            )
            answer = "Authorization" if response.status == 401 else "Proxy-Authorization"
            headers.append((answer, str(credentials)))
            request = self._request("REGISTER", headers=headers, call_id=self._call_id)
            response = await self.link.request(request)
        if not 200 <= response.status < 300:
            raise SipError(f"REGISTER answered {response.status} {response.reason}")
        granted = response.headers.get("Expires")
        return int(granted) if granted and granted.isdigit() else expires

    async def _register_now(self) -> bool:
        """Register (reopening a dropped TCP connection first); whether it succeeded."""
        try:
            if self.link.closed.is_set() and self._own_link:
                self._detach(self.link)
                self._link = await self._open_link(self.link.local_host)
                self._attach(self._link)
            granted = await self._register(self.config.register_expires)
        except (TimeoutError, ConnectionError, OSError, SipError) as exc:
            self.registered.clear()
            log.warning("registration failed", extra={**self._log, "error": str(exc)})
            return False
        self.registrations += 1
        self._misses = 0
        self.registered.set()
        self._granted = granted
        log.info("registered", extra={**self._log, "expires": granted})
        return True

    async def _registration_loop(self) -> None:
        while True:
            ok = await self._register_now()
            wait = self._granted * REFRESH_AT if ok else self.config.register_retry
            self._wake.clear()
            deadline = asyncio.get_running_loop().time() + wait
            while (left := deadline - asyncio.get_running_loop().time()) > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._reregister_wanted(), left)
                    break

    async def _reregister_wanted(self) -> None:
        """Returns when a re-registration is due early (keepalives failing, TCP dropped)."""
        while True:
            await self._wake.wait()
            self._wake.clear()
            if self._misses >= self.config.keepalive_misses or self.link.closed.is_set():
                return

    async def _keepalive_loop(self) -> None:
        while True:
            await asyncio.sleep(self.config.keepalive_interval)
            if not (self.keepalives_enabled and self.registered.is_set()):
                continue
            keepalive = Keepalive(sn=self.next_sn(), device_id=self.device_id, status="OK")
            refused = False
            try:
                response = await self.send_manscdp(keepalive)
                ok, refused = response.status == 200, response.status == 403
            except (TimeoutError, ConnectionError, OSError):
                ok = False
            self.keepalives_sent += 1
            # A 403 is final (a platform that trusts only the registered address refuses a
            # device that moved): register again at once instead of after more misses.
            misses = self.config.keepalive_misses if refused else self._misses + 1
            self._misses = 0 if ok else misses
            if not ok:
                self._wake.set()

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
