"""The SIP side of a simulated GB/T 28181 device: its link, requests, registration, keepalives.

:class:`SipDevice` registers with digest authentication and refreshes before expiry (at once when
keepalives fail or a TCP connection dropped), sends keepalives, moves to another source address on
request (NAT rebinding) and unregisters on stop. What a device answers — channels, calls,
MANSCDP, subscriptions — is :class:`~vigil.sim.device.SimDevice`'s, built on this.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from vigil.protocols.errors import SipError
from vigil.protocols.manscdp import Keepalive, Message, encode
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
from vigil.sim.calls import MANSCDP
from vigil.sim.config import DeviceConfig
from vigil.sim.sip_link import Respond, SipLink

__all__ = ["REFRESH_AT", "UNREGISTER_TIMEOUT", "USER_AGENT", "SipDevice"]

log = logging.getLogger(__name__)

USER_AGENT = "Vigil-Sim/1.0"
#: Re-register when this share of the granted lifetime has passed.
REFRESH_AT = 0.8
#: How long stop() waits for the unregister answer.
UNREGISTER_TIMEOUT = 2.0


class SipDevice:
    """A device's SIP presence; a subclass says what it answers (:meth:`_on_request`)."""

    def __init__(self, config: DeviceConfig, *, link: SipLink | None = None) -> None:
        self.config = config
        self.device_id = config.device_id
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
        await self._close_sessions()
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
        for user in self._users():
            link.attach(user, self._on_request)

    def _detach(self, link: SipLink) -> None:
        for user in self._users():
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

    # -- what a subclass adds -----------------------------------------------------------------

    def _users(self) -> list[str]:
        """The SIP users this device answers for on its link."""
        return [self.device_id]

    async def _on_request(self, request: SipRequest, respond: Respond) -> None:
        """A request from the platform (this base answers none of them)."""
        respond(make_response(request, 405))

    async def _close_sessions(self) -> None:
        """End calls and subscriptions before unregistering."""
