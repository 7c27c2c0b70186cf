"""One registration client per upper platform: digest REGISTER, refresh, keepalive, back-off.

The link's loop, for as long as the platform is enabled:

1. REGISTER (answering a 401/407 digest challenge) with ``Expires: register_expires``;
2. while registered, a Keepalive MESSAGE every ``keepalive_interval`` and a refresh REGISTER at
   80 % of the granted lifetime;
3. after ``keepalive_missed`` unanswered keepalives, a keepalive the platform refuses (it
   restarted and no longer knows Vigil), or a REGISTER refused or unanswered, the link counts as
   down and registers again after an exponential back-off (1 s doubling to 60 s, with jitter so a
   restarted upper platform is not hit by every lower one at the same instant).

Each request waits at most ``clamp(keepalive_interval, 2, 32)`` seconds for its answer, so a silent
platform is noticed within the keepalive rhythm and not only after SIP's 32 s Timer F.
The live state (registered, last error, last registration) is kept in memory in :class:`LinkState`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from vigil.config import Settings
from vigil.errors import Param
from vigil.gb28181.service import GbService
from vigil.gb28181.sip.messages import MANSCDP
from vigil.gb28181.sip.transactions import TransactionTimeout
from vigil.gb28181.sip.transport import Peer
from vigil.protocols.errors import ProtocolError
from vigil.protocols.manscdp import Keepalive, Message, encode
from vigil.protocols.sip import (
    DigestChallenge,
    NameAddr,
    SipRequest,
    SipResponse,
    SipUri,
    Via,
    authorize,
    make_request,
    new_branch,
    new_call_id,
    new_tag,
)
from vigil.store.models.platforms import Platform
from vigil.store.types import utcnow
from vigil.tasks import cancel_and_wait

__all__ = ["BACKOFF_CAP", "LinkDown", "LinkState", "UpperLink", "backoff_delay", "gb_version"]

log = logging.getLogger(__name__)

USER_AGENT = "Vigil"
#: Back-off after a failure: first delay, cap (seconds).
BACKOFF_BASE = 1.0
BACKOFF_CAP = 60.0
#: A refresh REGISTER goes out at this fraction of the granted lifetime.
REFRESH_AT = 0.8
#: Seconds given to the un-REGISTER when the link stops.
UNREGISTER_TIMEOUT = 2.0


class LinkDown(Exception):
    """The upper platform refused or stopped answering; the text is the state's last error,
    ``code`` and ``params`` the same as a reason the console words (``link.*``)."""

    def __init__(self, message: str, code: str, **params: Param) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


def _require_accepted(response: SipResponse, method: str, what: str) -> None:
    """Raise LinkDown ``link.refused`` unless the platform's final answer to ``what`` is 2xx."""
    if not 200 <= response.status < 300:
        raise LinkDown(
            f"{what} refused: {response.status} {response.reason}",
            code="link.refused",
            method=method,
            status=response.status,
        )


def backoff_delay(attempt: int, rand: Callable[[], float] = random.random) -> float:
    """Seconds before retry ``attempt`` (0-based): ``min(cap, base·2^attempt)``, scaled by a
    random factor in [0.5, 1) ("equal jitter"), so it never drops below half the step."""
    step = min(BACKOFF_CAP, BACKOFF_BASE * float(2 ** min(attempt, 16)))
    return step * (0.5 + rand() / 2)


def gb_version(edition: str) -> str:
    """The X-GB-Ver header value for a GB/T 28181 edition (2016 → 2.0, 2022 → 3.0)."""
    return "3.0" if edition == "2022" else "2.0"


@dataclass(slots=True)
class LinkState:
    """What the console shows of one link (in memory; reset when Vigil restarts)."""

    registered: bool = False
    last_error: str | None = None
    last_error_code: str | None = None
    last_error_params: dict[str, Param] = field(default_factory=dict)
    last_registered_at: datetime | None = None
    registrations: int = 0
    register_failures: int = 0
    keepalives: int = 0

    def up(self) -> None:
        self.registered = True
        self.registrations += 1
        self.last_registered_at = utcnow()

    def down(self, error: str, code: str, params: Mapping[str, Param]) -> None:
        self.registered = False
        self.last_error, self.last_error_code, self.last_error_params = error, code, dict(params)
        self.register_failures += 1


class UpperLink:
    """The registration client of one upper platform (see the module docstring)."""

    def __init__(
        self, platform: Platform, gb: GbService, rand: Callable[[], float] = random.random
    ) -> None:
        self.platform = platform
        self.state = LinkState()
        self._gb = gb
        self._rand = rand
        self._call_id = new_call_id()
        self._from_tag = new_tag()
        self._cseq = itertools.count(1)
        self._task: asyncio.Task[None] | None = None
        self._peer: Peer | None = None
        self._log = {"platform_id": platform.id, "sip_id": platform.sip_id}

    # identity ---------------------------------------------------------------------------------

    @property
    def local_id(self) -> str:
        """The ID Vigil presents to this platform."""
        return self.platform.local_sip_id or self._gb.settings.sip_id

    @property
    def gb_settings(self) -> Settings:
        return self._gb.settings

    @property
    def sip_port(self) -> int:
        """Vigil's SIP port (UDP and TCP), for Via and Contact."""
        return self._gb.port

    @property
    def timeout(self) -> float:
        return float(min(32, max(2, self.platform.keepalive_interval)))

    @property
    def charset(self) -> str:
        return self.platform.charset

    def _local(self) -> NameAddr:
        return NameAddr(SipUri(self.local_id[:10], self.local_id))

    def build(
        self,
        method: str,
        *,
        body: bytes = b"",
        content_type: str | None = None,
        headers: list[tuple[str, str]] | None = None,
        to_user: str | None = None,
        from_user: str | None = None,
        call_id: str | None = None,
    ) -> SipRequest:
        """An out-of-dialog request to the upper platform, From Vigil (or ``from_user``: a shared
        channel's outward ID, for a NOTIFY or an alarm about it)."""
        p = self.platform
        settings = self._gb.settings
        transport = "TCP" if p.transport == "tcp" else "UDP"
        from_ = NameAddr(SipUri(self.local_id[:10], from_user or self.local_id))
        target = to_user or p.sip_id
        return make_request(
            method,
            SipUri(p.host or "127.0.0.1", target, p.port),
            via=Via(transport, settings.sip_host, self._gb.port, new_branch(), rport=True),
            from_=from_.with_tag(self._from_tag if method == "REGISTER" else new_tag()),
            to=self._local() if method == "REGISTER" else NameAddr(SipUri(p.domain, target)),
            call_id=call_id or new_call_id(),
            cseq=next(self._cseq),
            contact=NameAddr(SipUri(settings.sip_host, self.local_id, self._gb.port)),
            headers=[
                ("User-Agent", USER_AGENT),
                ("X-GB-Ver", gb_version(p.edition)),
                *(headers or []),
            ],
            body=body,
            content_type=content_type,
        )

    # sending ----------------------------------------------------------------------------------

    async def peer(self) -> Peer:
        """Where the platform is; a TCP link (re)connects here."""
        p = self.platform
        if p.host is None or p.port is None:
            raise LinkDown("no address configured", code="link.no_address")
        if p.transport == "tcp":
            try:
                self._peer = await asyncio.wait_for(
                    self._gb.endpoint.connect(p.host, p.port), self.timeout
                )
            except (OSError, TimeoutError) as exc:
                raise LinkDown(
                    f"TCP connect to {p.host}:{p.port} failed: {exc}",
                    code="link.connect_failed",
                    host=p.host,
                    port=p.port,
                ) from None
        else:
            self._peer = Peer("udp", p.host, p.port)
        return self._peer

    async def send(self, request: SipRequest) -> SipResponse:
        """Send ``request`` to the platform and await its final response (bounded)."""
        peer = self._peer or await self.peer()
        try:
            return await asyncio.wait_for(
                self._gb.transactions.request(request, peer), self.timeout
            )
        except (TimeoutError, TransactionTimeout):
            raise LinkDown(
                f"{request.method} unanswered after {self.timeout:.0f} s",
                code="link.unanswered",
                method=request.method,
                seconds=round(self.timeout),
            ) from None

    async def send_manscdp(self, message: Message, *, from_user: str | None = None) -> SipResponse:
        """A MANSCDP body in a MESSAGE, in the platform's charset."""
        body = encode(message, self.charset)
        request = self.build("MESSAGE", body=body, content_type=MANSCDP, from_user=from_user)
        return await self.send(request)

    # lifecycle --------------------------------------------------------------------------------

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(
            self._run(), name=f"cascade.link:{self.platform.sip_id}"
        )

    async def stop(self, *, unregister: bool = True) -> None:
        """Stop the loop; un-REGISTER (Expires 0, best effort) when registered."""
        if self._task is not None:
            with contextlib.suppress(Exception):  # a loop that failed is over all the same
                await cancel_and_wait(self._task)
            self._task = None
        if unregister and self.state.registered:
            with contextlib.suppress(LinkDown, ProtocolError, OSError, TimeoutError):
                await asyncio.wait_for(self._register(0), UNREGISTER_TIMEOUT)
        self.state.registered = False

    async def _run(self) -> None:
        attempt = 0
        while True:
            try:
                await self.peer()
                granted = await self._register(self.platform.register_expires)
                self.state.up()
                attempt = 0
                log.info("registered to upper platform", extra={**self._log, "expires": granted})
                await self._hold(granted)
                continue
            except LinkDown as exc:
                self.state.down(str(exc), exc.code, exc.params)
                error = str(exc)
            except ProtocolError as exc:
                error = f"bad answer: {exc}"
                self.state.down(error, "link.bad_answer", {})
            delay = backoff_delay(attempt, self._rand)
            attempt += 1
            log.warning(
                "upper platform link down",
                extra={**self._log, "error": error, "retry_in": round(delay, 2)},
            )
            await asyncio.sleep(delay)

    async def _register(self, expires: int) -> int:
        """One REGISTER, answering one digest challenge; the granted lifetime, or LinkDown."""
        headers = [("Expires", str(expires))]
        request = self.build("REGISTER", headers=headers, call_id=self._call_id)
        response = await self.send(request)
        if response.status in (401, 407):
            name = "WWW-Authenticate" if response.status == 401 else "Proxy-Authenticate"
            challenge = DigestChallenge.parse(response.headers.get(name) or "")
            credentials = authorize(
                challenge,
                username=self.local_id,
                password=self.platform.password or "",
                method="REGISTER",
                uri=request.uri,
            )
            answer = "Authorization" if response.status == 401 else "Proxy-Authorization"
            request = self.build(
                "REGISTER", headers=[*headers, (answer, str(credentials))], call_id=self._call_id
            )
            response = await self.send(request)
        _require_accepted(response, "REGISTER", "REGISTER")
        granted = (response.headers.get("Expires") or "").strip()
        return int(granted) if granted.isdigit() and int(granted) > 0 else max(expires, 1)

    async def _hold(self, granted: int) -> None:
        """Keep the registration alive until its refresh is due (returns) or it fails (raises)."""
        loop = asyncio.get_running_loop()
        refresh_at = loop.time() + max(1.0, granted * REFRESH_AT)
        interval = max(1, self.platform.keepalive_interval)
        missed = 0
        while (left := refresh_at - loop.time()) > 0:
            if left < interval:
                await asyncio.sleep(left)
                return
            await asyncio.sleep(interval)
            keepalive = Keepalive(sn=self._gb.next_sn(), device_id=self.local_id, status="OK")
            try:
                response = await self.send_manscdp(keepalive)
            except LinkDown:
                missed += 1
                if missed >= self.platform.keepalive_missed:
                    raise LinkDown(
                        f"{missed} keepalives unanswered", code="link.keepalives", count=missed
                    ) from None
                continue
            _require_accepted(response, "MESSAGE", "keepalive")
            missed = 0
            self.state.keepalives += 1
