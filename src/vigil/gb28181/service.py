"""The GB/T 28181 server: devices register to it, keep alive, report catalogs, alarms, positions.

``GbService`` wires the endpoint (:mod:`.sip.transport`), the transactions
(:mod:`.sip.transactions`), the registrar, the presence table, the MANSCDP router, catalog sync
and subscriptions, and gives the rest of Vigil one way to talk to a registered device:

* :meth:`GbService.request` — build and send any request (MESSAGE, INVITE, SUBSCRIBE, INFO…) to a
  device or one of its channels and await the final response through a client transaction;
* :meth:`GbService.send` — send a request the caller built (an in-dialog BYE, INFO) the same way;
* :meth:`GbService.query` — send a MANSCDP Query/Control and await the device's Response MESSAGE;
* :meth:`GbService.bind_routes` — bind the handlers :mod:`.sip.routes` names (a device's BYE, a
  MESSAGE inside a call's dialog, which comes from the channel, an upper platform's requests);
* :attr:`GbService.origin` — requests naming a device are trusted only from its registration's
  address (:mod:`.sip.origin`); a keepalive never moves a device, only a REGISTER does;
* :meth:`GbService.transmit` — send outside any transaction (the ACK for a 2xx).

Which request goes where is declared in one table, :mod:`.sip.routes`. The registrar returns its
decision; a registration that passed is applied by :mod:`.devices.presence_keeper` before the 200
goes out, and the setup it triggers runs in :mod:`.devices.device_setup`.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Coroutine, Iterable
from typing import TypedDict, Unpack

from vigil.bus import EventBus
from vigil.catalog.devices import DeviceService
from vigil.config import Settings
from vigil.errors import Conflict
from vigil.gb28181.cascade.dispatch import CascadeDispatch
from vigil.gb28181.devices.catalog_sync import CatalogResult, CatalogSync
from vigil.gb28181.devices.catalog_writer import CatalogWriter
from vigil.gb28181.devices.device_catalogs import DeviceCatalogs
from vigil.gb28181.devices.device_passwords import DevicePasswords
from vigil.gb28181.devices.device_records import DeviceRecords
from vigil.gb28181.devices.device_setup import DeviceSetup
from vigil.gb28181.devices.device_subscriptions import Subscriptions
from vigil.gb28181.devices.presence import Presence, PresenceTable
from vigil.gb28181.devices.presence_keeper import PresenceKeeper
from vigil.gb28181.devices.registrar import Registrar
from vigil.gb28181.devices.report_routes import ReportRoutes
from vigil.gb28181.devices.report_writer import ReportWriter
from vigil.gb28181.devices.reports import Reports
from vigil.gb28181.devices.status_writer import StatusWriter
from vigil.gb28181.lower.lower_platforms import LowerPlatforms
from vigil.gb28181.sip.messages import MANSCDP, MessageRouter, decode_body, require_accepted
from vigil.gb28181.sip.origin import OriginCheck
from vigil.gb28181.sip.refusals import Refusals
from vigil.gb28181.sip.routes import IN_DIALOG, Bindings, Route, bind_all
from vigil.gb28181.sip.tcp_limits import raise_open_file_limit, tcp_limits
from vigil.gb28181.sip.transactions import RequestHandler, TransactionLayer, TransactionTimeout
from vigil.gb28181.sip.transport import Peer, SipEndpoint
from vigil.governance.audit import AuditLog
from vigil.governance.audited import Caller, as_caller
from vigil.governance.permissions import Permission, Principal
from vigil.protocols.manscdp import (
    Addressed,
    Message,
    Response,
    command_of,
    encode,
)
from vigil.protocols.sip import (
    NameAddr,
    SipMessage,
    SipRequest,
    SipResponse,
    SipUri,
    Via,
    make_request,
    make_response,
    new_branch,
    new_call_id,
    new_tag,
)
from vigil.store.database import Database
from vigil.tasks import OwnedTasks

__all__ = ["GbService", "RequestParts", "TransactionTimeout"]

log = logging.getLogger(__name__)

#: Seconds to wait for a Response MESSAGE after the device accepted the query.
QUERY_TIMEOUT = 10.0


class RequestParts(TypedDict, total=False):
    """What :meth:`GbService.build_request` takes besides the device and the method."""

    target_id: str | None
    body: bytes
    content_type: str | None
    headers: Iterable[tuple[str, str]]


class GbService:
    """See the module docstring. ``start`` binds UDP+TCP; ``stop`` releases everything."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        bus: EventBus,
        audit: AuditLog,
        devices: DeviceService,
    ) -> None:
        self.settings = settings
        self.endpoint = SipEndpoint(lambda message, peer: self.transactions.receive(message, peer))
        self.transactions = TransactionLayer(self.endpoint, self._handle, on_stray=self._stray)
        self.presence = PresenceTable(settings.keepalive_interval * settings.keepalive_missed)
        self.records = DeviceRecords(db, devices)
        self.passwords = DevicePasswords(db, devices, audit, settings.sip_domain)
        self._writer = StatusWriter(db, bus)
        # Type-200 devices: their catalog keeps its tree, devices behind them are routed to them.
        self.lower = LowerPlatforms(db, bus)
        self.report_writer = ReportWriter(db, bus)
        reports = Reports(self.report_writer, settings.zone)
        self._report_routes = ReportRoutes(reports, self._send_manscdp, self._spawn)
        refusals = Refusals.for_settings(settings, audit, self._now)
        self.registrar = Registrar(settings, self.records, self.passwords, refusals, self._now)
        self.origin = OriginCheck(self.presence, self.lower.route, refusals)
        self.router = MessageRouter()
        self.cascade = CascadeDispatch(audit)
        self.subscriptions = Subscriptions(
            expires=settings.subscribe_expires,
            build=self.build_request,
            send=self.send,
            via=self._via,
            next_sn=self.next_sn,
            spawn=self._spawn,
            position_types=settings.position_type_codes,
        )
        self.catalogs = DeviceCatalogs(
            CatalogSync(settings.catalog_timeout),
            CatalogWriter(db),
            self.lower,
            bus,
            self._send_manscdp,
            self.next_sn,
        )
        #: Query the device's catalog, wait for all its parts (or the idle timeout), store it.
        self.sync_catalog = self.catalogs.sync
        self._setup = DeviceSetup(
            self.records, self.subscriptions, self.query, self.catalogs.sync, self.next_sn
        )
        self._keeper = PresenceKeeper(
            self.presence, self._writer, self.subscriptions, self.lower, self._setup, self._spawn
        )
        self._methods: Bindings[RequestHandler] = Bindings("device")
        self._sn = itertools.count(1)
        self._cseq = itertools.count(1)
        self._tasks = OwnedTasks()
        self._loop: asyncio.AbstractEventLoop | None = None
        self.bind_routes(self, self._keeper, self.catalogs, self._report_routes)

    # lifecycle ------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The bound port (UDP and TCP share it)."""
        return self.endpoint.udp_port

    async def start(self) -> None:
        """Bind the endpoint; start the writers, the presence clock and the setup workers."""
        self._loop = asyncio.get_running_loop()
        limits = tcp_limits(self.settings, raise_open_file_limit())
        await self.endpoint.start(self.settings.sip_host, self.settings.sip_port, limits)
        self._writer.start()
        self.report_writer.start()
        self._keeper.start(self._loop)
        self._setup.start(self._loop)
        log.info(
            "SIP listening",
            extra={"host": self.settings.sip_host, "port": self.port, "tcp_limits": limits},
        )

    async def stop(self) -> None:
        """Release the endpoint, the transactions, the timers, the workers and the writers."""
        if self._loop is None:
            return
        await self.endpoint.stop()
        await self.transactions.stop()
        self._keeper.stop()
        self.subscriptions.clear()
        tasks = [*self._setup.tasks(), *self._tasks]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self._writer.stop()
        await self.report_writer.stop()
        self._loop = None

    def _now(self) -> float:
        assert self._loop is not None, "GbService is not started"
        return self._loop.time()

    def _spawn(self, coroutine: Coroutine[object, object, None], name: str) -> None:
        assert self._loop is not None
        self._tasks.spawn(coroutine, name)

    # incoming -------------------------------------------------------------------------------

    async def _handle(self, request: SipRequest, peer: Peer) -> SipResponse | None:
        platform = self.cascade.platform_for(request, peer)
        if platform is not None:
            return await self.cascade.handle(platform, request, peer)
        handler = self._methods.get(request.method)
        if handler is None:
            allow = ", ".join(self._methods.methods())
            return make_response(request, 405, headers=[("Allow", allow)])
        return await handler(request, peer)

    async def _options(self, request: SipRequest, peer: Peer) -> SipResponse:
        return make_response(request, 200, headers=[("Allow", ", ".join(self._methods.methods()))])

    async def _register(self, request: SipRequest, peer: Peer) -> SipResponse:
        outcome = await self.registrar.handle(request, peer)
        if outcome.registration is not None:
            await self._keeper.registered(outcome.registration)
        return outcome.response

    def _stray(self, message: SipMessage, peer: Peer) -> None:
        """A request outside any transaction: an upper platform's ACK of a 2xx to its INVITE."""
        if isinstance(message, SipRequest):
            platform = self.cascade.platform_for(message, peer)
            if platform is not None:
                self._spawn(self.cascade.handle_ack(platform, message, peer), "sip.cascade-ack")

    def routes(self) -> list[Route]:
        """The rows of :mod:`.sip.routes` that have a handler on this node now."""
        return [*self._methods.bound, *self.router.routes, *self.cascade.routes]

    def bind_routes(self, *handlers: object) -> None:
        """Bind the rows of :mod:`.sip.routes` whose handlers are methods of ``handlers`` (the
        composition root passes what it built after this service)."""
        bind_all(handlers, self._methods, self.router.bindings, self.cascade.bindings)

    async def _message(self, request: SipRequest, peer: Peer) -> SipResponse:
        in_dialog = request.method == "MESSAGE" and request.to.tag is not None
        dialog_handler = self._methods.get("MESSAGE", IN_DIALOG) if in_dialog else None
        if dialog_handler is not None:
            answer = await dialog_handler(request, peer)
            if answer is not None:
                return answer
        device_id = request.from_.uri.user or ""
        if self.presence.get(device_id) is None:
            return make_response(request, 403, "Not registered")
        message = decode_body(request.body) if request.body else None  # bad: 400, whoever sent it
        refused = await self.origin.from_registration(request, peer, device_id)
        if refused is not None:
            return refused
        if request.method == "NOTIFY":
            self.subscriptions.on_notify(request)
        if message is None:
            return make_response(request, 400, "No MANSCDP body")
        await self.router.dispatch(message, device_id, peer)
        return make_response(request, 200)

    def device(self, device_id: str) -> Presence | None:
        """The device's live presence (address, state), None when not registered; a device
        behind a lower platform has the platform's."""
        return self.presence.get(self.lower.route(device_id))

    # talking to devices ---------------------------------------------------------------------

    def next_sn(self) -> int:
        """The next MANSCDP SN this node uses."""
        return next(self._sn)

    def _peer(self, device_id: str) -> Peer:
        presence = self.presence.get(self.lower.route(device_id))
        if presence is None or not presence.online:
            raise Conflict(f"device {device_id} is not online", code="device.offline", id=device_id)
        return Peer(presence.transport, presence.host, presence.port)

    def _via(self, device_id: str) -> Via:
        peer = self._peer(device_id)
        return Via(
            peer.transport.upper(), self.settings.sip_host, self.port, new_branch(), rport=True
        )

    def build_request(
        self,
        device_id: str,
        method: str,
        *,
        target_id: str | None = None,
        body: bytes = b"",
        content_type: str | None = None,
        headers: Iterable[tuple[str, str]] = (),
    ) -> SipRequest:
        """An out-of-dialog request from this platform to ``target_id`` (default: the device)."""
        peer = self._peer(device_id)
        target = target_id or device_id
        domain, platform = self.settings.sip_domain, self.settings.sip_id
        return make_request(
            method,
            SipUri(peer.host, target, peer.port),
            via=self._via(device_id),
            from_=NameAddr(SipUri(domain, platform)).with_tag(new_tag()),
            to=NameAddr(SipUri(domain, target)),
            call_id=new_call_id(),
            cseq=next(self._cseq),
            contact=NameAddr(SipUri(self.settings.sip_host, platform, self.port)),
            headers=headers,
            body=body,
            content_type=content_type,
        )

    async def send(self, device_id: str, request: SipRequest) -> SipResponse:
        """Send ``request`` to the device's current address; await the final response."""
        try:
            response = await self.transactions.request(request, self._peer(device_id))
        except TransactionTimeout:
            self.lower.count(device_id, request.method, None)
            raise
        self.lower.count(device_id, request.method, response.status)
        return response

    async def request(
        self, device_id: str, method: str, **parts: Unpack[RequestParts]
    ) -> SipResponse:
        """Build a request (see :meth:`build_request`) and :meth:`send` it."""
        return await self.send(device_id, self.build_request(device_id, method, **parts))

    def transmit(self, device_id: str, message: SipMessage) -> bool:
        """Send outside any transaction (the ACK of a 2xx)."""
        return self.transactions.transmit(message, self._peer(device_id))

    def _charset(self, device_id: str) -> str:
        return "GB18030" if self._keeper.versions.get(device_id) == "3.0" else "GB2312"

    async def _send_manscdp(self, device_id: str, message: Message) -> SipResponse:
        """``message`` in a MESSAGE, in the device's charset; the final response."""
        body = encode(message, self._charset(device_id))
        return await self.request(device_id, "MESSAGE", body=body, content_type=MANSCDP)

    async def query(
        self, device_id: str, message: Addressed, *, timeout: float = QUERY_TIMEOUT
    ) -> Response:
        """Send a MANSCDP Query/Control in a MESSAGE; await the Response with the same SN.

        Raises :class:`TransactionTimeout` (no 200), :class:`Conflict` (refused or offline) and
        :class:`TimeoutError` (accepted, never answered).
        """
        _, cmd_type = command_of(message)
        future = self.router.expect(self.lower.route(device_id), cmd_type, message.sn)
        try:
            response = await self._send_manscdp(device_id, message)
            require_accepted(response, device_id, cmd_type)
            return await asyncio.wait_for(future, timeout)
        finally:
            future.cancel()

    # catalogs, passwords ----------------------------------------------------------------------

    async def refresh_catalog(self, principal: Principal, device_id: str) -> CatalogResult:
        """The API's catalog refresh: catalog:write on a device in the caller's scope."""
        principal.require(Permission.catalog_write)
        await self.records.visible(principal, device_id)
        return await self.sync_catalog(device_id)

    async def set_password(self, who: Principal | Caller, device_id: str, password: str) -> None:
        """Give a device its own digest password (stored as HA1); audited."""
        await self.passwords.set(as_caller(who), device_id, password)
