"""The GB/T 28181 server: devices register to it, keep alive, report catalogs, alarms, positions.

``GbService`` wires the endpoint (:mod:`.transport`), the transactions (:mod:`.transactions`),
the registrar, the presence table, the MANSCDP router, catalog sync and subscriptions, and gives
the rest of Vigil one way to talk to a registered device:

* :meth:`GbService.request` — build and send any request (MESSAGE, INVITE, SUBSCRIBE, INFO…) to a
  device or one of its channels and await the final response through a client transaction;
* :meth:`GbService.send` — send a request the caller built (an in-dialog BYE, INFO) the same way;
* :meth:`GbService.query` — send a MANSCDP Query/Control and await the device's Response MESSAGE;
* :meth:`GbService.handle_method` — receive requests of another method (BYE, INFO from devices);
* :meth:`GbService.handle_dialog_message` — receive MESSAGEs sent inside a dialog (a call's
  MediaStatus), which come from the channel, not the registered device;
* :attr:`GbService.origin` — requests naming a device are trusted only from its registration's
  address (:mod:`.origin`); a keepalive never moves a device, only a REGISTER does;
* :meth:`GbService.transmit` — send outside any transaction (the ACK for a 2xx).

Work a new registration triggers (DeviceInfo, Catalog, subscriptions) runs in a fixed pool of
named workers fed by a queue, so a mass re-registration after a restart is paced, not a storm.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections.abc import Awaitable, Coroutine, Iterable
from datetime import datetime, timedelta

from vigil.bus import EventBus
from vigil.catalog.devices import DeviceService
from vigil.config import Settings
from vigil.errors import Conflict
from vigil.gb28181.cascade.dispatch import CascadeDispatch
from vigil.gb28181.catalog_sync import CatalogResult, CatalogSync
from vigil.gb28181.catalog_writer import CatalogChanges, CatalogWriter
from vigil.gb28181.device_passwords import DevicePasswords
from vigil.gb28181.device_records import DeviceRecords
from vigil.gb28181.events import CatalogSynced
from vigil.gb28181.lower_platforms import LowerPlatforms, is_platform_id
from vigil.gb28181.messages import MessageRouter, decode_body
from vigil.gb28181.origin import OriginCheck
from vigil.gb28181.presence import Presence, PresenceTable, Transition
from vigil.gb28181.refusals import Refusals
from vigil.gb28181.registrar import Registrar, Registration
from vigil.gb28181.report_writer import ReportWriter
from vigil.gb28181.reports import Reports
from vigil.gb28181.status_writer import StatusWriter
from vigil.gb28181.subscriptions import MANSCDP, Subscriptions
from vigil.gb28181.tcp_limits import raise_open_file_limit, tcp_limits
from vigil.gb28181.transactions import RequestHandler, TransactionLayer, TransactionTimeout
from vigil.gb28181.transport import Peer, SipEndpoint
from vigil.governance.audit import AuditLog
from vigil.governance.audited import Caller, as_caller
from vigil.governance.permissions import Permission, Principal
from vigil.protocols.manscdp import (
    Addressed,
    AlarmNotify,
    AlarmResponse,
    CatalogNotify,
    CatalogQuery,
    CatalogResponse,
    DeviceInfoQuery,
    DeviceInfoResponse,
    Message,
    MobilePositionNotify,
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
from vigil.store.types import utcnow

__all__ = ["GbService", "TransactionTimeout"]

log = logging.getLogger(__name__)

#: Workers running post-registration work (DeviceInfo, Catalog, subscriptions).
SETUP_WORKERS = 8
#: Seconds to wait for a Response MESSAGE after the device accepted the query.
QUERY_TIMEOUT = 10.0


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
        self._bus = bus
        self.endpoint = SipEndpoint(self._receive)
        self.transactions = TransactionLayer(self.endpoint, self._handle, on_stray=self._stray)
        self.presence = PresenceTable(settings.keepalive_interval * settings.keepalive_missed)
        self.records = DeviceRecords(db, devices)
        self.passwords = DevicePasswords(db, devices, audit, settings.sip_domain)
        self._writer = StatusWriter(db, bus)
        self._catalog = CatalogSync(settings.catalog_timeout)
        self._catalog_writer = CatalogWriter(db)
        # Type-200 devices: their catalog keeps its tree, devices behind them are routed to them.
        self.lower = LowerPlatforms(db, bus)
        self.report_writer = ReportWriter(db, bus)
        self._reports = Reports(self.report_writer, settings.zone)
        refusals = Refusals.for_settings(settings, audit, self._now)
        self.registrar = Registrar(
            settings, self.records, self.passwords, refusals, self._registered, self._now
        )
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
        self._methods: dict[str, RequestHandler] = {
            "REGISTER": self.registrar.handle,
            "MESSAGE": self._message,
            "NOTIFY": self._message,
            "OPTIONS": self._options,
        }
        self._ack_handlers: list[RequestHandler] = []
        self._dialog_messages: RequestHandler | None = None
        self._versions: dict[str, str | None] = {}
        self._sn = itertools.count(1)
        self._cseq = itertools.count(1)
        self._setup_queue: asyncio.Queue[str] = asyncio.Queue()
        self._queued: set[str] = set()
        self._workers: list[asyncio.Task[None]] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._timer: asyncio.TimerHandle | None = None
        self._timer_at = 0.0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._route_messages()

    # lifecycle ------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The bound port (UDP and TCP share it)."""
        return self.endpoint.udp_port

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        limits = tcp_limits(self.settings, raise_open_file_limit())
        await self.endpoint.start(self.settings.sip_host, self.settings.sip_port, limits)
        self._writer.start()
        self.report_writer.start()
        self._workers = [
            self._loop.create_task(self._setup_worker(), name=f"gb.setup-worker:{i}")
            for i in range(SETUP_WORKERS)
        ]
        log.info(
            "SIP listening",
            extra={"host": self.settings.sip_host, "port": self.port, "tcp_limits": limits},
        )

    async def stop(self) -> None:
        if self._loop is None:
            return
        await self.endpoint.stop()
        await self.transactions.stop()
        if self._timer is not None:
            self._timer.cancel()
        self.subscriptions.clear()
        tasks = [*self._workers, *self._tasks]
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
        task = self._loop.create_task(coroutine, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # incoming -------------------------------------------------------------------------------

    def _receive(self, message: SipMessage, peer: Peer) -> None:
        self.transactions.receive(message, peer)

    async def _handle(self, request: SipRequest, peer: Peer) -> SipResponse | None:
        platform = self.cascade.platform_for(request, peer)
        if platform is not None:
            return await self.cascade.handle(platform, request, peer)
        handler = self._methods.get(request.method)
        if handler is None:
            allow = ", ".join(sorted(self._methods))
            return make_response(request, 405, headers=[("Allow", allow)])
        return await handler(request, peer)

    async def _options(self, request: SipRequest, peer: Peer) -> SipResponse:
        return make_response(request, 200, headers=[("Allow", ", ".join(sorted(self._methods)))])

    def _stray(self, message: SipMessage, peer: Peer) -> None:
        if isinstance(message, SipRequest):
            platform = self.cascade.platform_for(message, peer)
            if platform is not None:
                self._spawn(self.cascade.handle_ack(platform, message, peer), "sip.cascade-ack")
                return
            for handler in self._ack_handlers:
                self._spawn(_ignore_answer(handler(message, peer)), "sip.ack")

    def handle_method(self, method: str, handler: RequestHandler) -> None:
        """Answer requests of ``method`` (BYE, INFO…) with ``handler``; ACKs outside a
        transaction go to the handler registered for ``"ACK"``."""
        if method == "ACK":
            self._ack_handlers.append(handler)
        else:
            self._methods[method] = handler

    def handle_dialog_message(self, handler: RequestHandler) -> None:
        """Offer in-dialog MESSAGEs (To has a tag) to ``handler`` first; it answers None for a
        dialog it does not hold. Such a MESSAGE comes From the channel (the INVITE's To), so the
        handler checks it with :meth:`OriginCheck.from_dialog_device`."""
        self._dialog_messages = handler

    async def _message(self, request: SipRequest, peer: Peer) -> SipResponse:
        in_dialog = request.method == "MESSAGE" and request.to.tag is not None
        if in_dialog and self._dialog_messages is not None:
            answer = await self._dialog_messages(request, peer)
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

    # registration and presence --------------------------------------------------------------

    async def _registered(self, registration: Registration) -> None:
        peer, device_id = registration.peer, registration.device_id
        now, at = self._now(), utcnow()
        if registration.expires == 0:
            self._record(self.presence.unregister(device_id, now), at)
            self.subscriptions.forget(device_id)
            self._writer.registered(
                device_id, gb_version=registration.gb_version, contact=None, at=at, expires_at=None
            )
            return
        was_online = (p := self.presence.get(device_id)) is not None and p.online
        transitions = self.presence.register(
            device_id, peer.transport, peer.host, peer.port, registration.expires, now
        )
        self._versions[device_id] = registration.gb_version
        self._writer.address(device_id, peer.transport, peer.host, peer.port)
        self._writer.registered(
            device_id,
            gb_version=registration.gb_version,
            contact=registration.contact,
            at=at,
            expires_at=at + timedelta(seconds=registration.expires),
        )
        self._record(transitions, at)
        if is_platform_id(device_id):
            await self.lower.registered(device_id, peer, at)
        if not was_online:
            self._enqueue_setup(device_id)

    async def _keepalive(self, message: Message, device_id: str, peer: Peer) -> None:
        at = utcnow()
        transitions = self.presence.keepalive(device_id, self._now())
        self._writer.heard(device_id, at)
        self._record(transitions, at)

    def _record(self, transitions: Iterable[Transition], at: datetime) -> None:
        for transition in transitions:
            self._writer.transition(transition, at)
            presence = self.presence.get(transition.device_id)
            if transition.online and presence is not None:
                self._writer.address(
                    transition.device_id, presence.transport, presence.host, presence.port
                )
            if not transition.online:
                self.subscriptions.forget(transition.device_id)
            if self.lower.holds(transition.device_id):
                self._lower_reached(transition)
        self._arm_presence()

    def _lower_reached(self, transition: Transition) -> None:
        """A lower platform lost: the devices behind it are out of reach too. Back by keepalive
        (no REGISTER, so no setup ran): read its catalog and subscribe again, as after one."""
        device_id = transition.device_id
        if not transition.online:
            self._spawn(self.lower.unreachable(device_id), f"gb.lower-offline:{device_id}")
        elif transition.reason == "keepalive":
            self._enqueue_setup(device_id)

    def _arm_presence(self) -> None:
        deadline = self.presence.next_deadline()
        if deadline is None or self._loop is None:
            return
        if self._timer is not None and self._timer_at <= deadline:
            return
        if self._timer is not None:
            self._timer.cancel()
        self._timer_at = deadline
        self._timer = self._loop.call_at(deadline, self._presence_due)

    def _presence_due(self) -> None:
        self._timer = None
        self._record(self.presence.expire(self._now()), utcnow())

    def device(self, device_id: str) -> Presence | None:
        """The device's live presence (address, state), None when not registered; a device
        behind a lower platform has the platform's."""
        return self.presence.get(self.lower.route(device_id))

    # talking to devices ---------------------------------------------------------------------

    def next_sn(self) -> int:
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
        self,
        device_id: str,
        method: str,
        *,
        target_id: str | None = None,
        body: bytes = b"",
        content_type: str | None = None,
        headers: Iterable[tuple[str, str]] = (),
    ) -> SipResponse:
        """Build a request (see :meth:`build_request`) and :meth:`send` it."""
        request = self.build_request(
            device_id,
            method,
            target_id=target_id,
            body=body,
            content_type=content_type,
            headers=headers,
        )
        return await self.send(device_id, request)

    def transmit(self, device_id: str, message: SipMessage) -> bool:
        """Send outside any transaction (the ACK of a 2xx)."""
        return self.transactions.transmit(message, self._peer(device_id))

    def _charset(self, device_id: str) -> str:
        return "GB18030" if self._versions.get(device_id) == "3.0" else "GB2312"

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
            response = await self.request(
                device_id,
                "MESSAGE",
                body=encode(message, self._charset(device_id)),
                content_type=MANSCDP,
            )
            if not 200 <= response.status < 300:
                raise Conflict(
                    f"device {device_id} refused {cmd_type}: {response.status}",
                    code="device.refused",
                    id=device_id,
                    status=response.status,
                )
            return await asyncio.wait_for(future, timeout)
        finally:
            future.cancel()

    # catalog, device info, subscriptions ----------------------------------------------------

    def _route_messages(self) -> None:
        self.router.route("Notify", "Keepalive", self._keepalive)
        self.router.route("Response", "Catalog", self._catalog_part)
        self.router.route("Notify", "Catalog", self._catalog_notify)
        self.router.route("Notify", "Alarm", self._alarm)
        self.router.route("Notify", "MobilePosition", self._position)

    async def _catalog_part(self, message: Message, device_id: str, peer: Peer) -> None:
        assert isinstance(message, CatalogResponse)
        self._catalog.feed(device_id, message.sn, message.sum_num, message.items)

    async def _catalog_notify(self, message: Message, device_id: str, peer: Peer) -> None:
        assert isinstance(message, CatalogNotify)
        if self.lower.holds(device_id):
            changes = await self.lower.apply_events(device_id, message.items)
        else:
            changes = await self._catalog_writer.apply_events(device_id, message.items)
        await self._publish_catalog(device_id, len(message.items), None, False, changes)

    async def _alarm(self, message: Message, device_id: str, peer: Peer) -> None:
        assert isinstance(message, AlarmNotify)
        self._reports.alarm(device_id, message)
        answer = AlarmResponse(sn=message.sn, device_id=message.device_id, result="OK")
        self._spawn(self._answer(device_id, answer), f"gb.alarm-answer:{device_id}")

    async def _answer(self, device_id: str, message: Message) -> None:
        with contextlib.suppress(TimeoutError, Conflict):
            body = encode(message, self._charset(device_id))
            await self.request(device_id, "MESSAGE", body=body, content_type=MANSCDP)

    async def _position(self, message: Message, device_id: str, peer: Peer) -> None:
        assert isinstance(message, MobilePositionNotify)
        self._reports.position(device_id, message)

    async def sync_catalog(self, device_id: str) -> CatalogResult:
        """Query the device's catalog, wait for all its parts (or the idle timeout), store it."""
        sn = self.next_sn()
        self._catalog.begin(device_id, sn)
        try:
            response = await self.request(
                device_id,
                "MESSAGE",
                body=encode(CatalogQuery(sn=sn, device_id=device_id), self._charset(device_id)),
                content_type=MANSCDP,
            )
            if not 200 <= response.status < 300:
                raise Conflict(
                    f"device {device_id} refused the catalog query: {response.status}",
                    code="device.refused",
                    id=device_id,
                    status=response.status,
                )
        except BaseException:
            self._catalog.cancel(device_id, sn)
            raise
        result = await self._catalog.wait(device_id, sn)
        if self.lower.holds(device_id):
            changes = await self.lower.import_catalog(
                device_id, result.items, complete=result.complete
            )
        else:
            changes = await self._catalog_writer.upsert(
                device_id, result.items, complete=result.complete
            )
        await self._publish_catalog(
            device_id, len(result.items), result.expected, result.complete, changes
        )
        return result

    async def _publish_catalog(
        self,
        device_id: str,
        received: int,
        expected: int | None,
        complete: bool,
        changes: CatalogChanges,
    ) -> None:
        await self._bus.publish(
            CatalogSynced(
                device_id=device_id,
                received=received,
                expected=expected,
                complete=complete,
                added=changes.added,
                updated=changes.updated,
                deleted=changes.deleted,
            )
        )

    async def refresh_catalog(self, principal: Principal, device_id: str) -> CatalogResult:
        """The API's catalog refresh: catalog:write on a device in the caller's scope."""
        principal.require(Permission.catalog_write)
        await self.records.visible(principal, device_id)
        return await self.sync_catalog(device_id)

    async def set_password(self, who: Principal | Caller, device_id: str, password: str) -> None:
        """Give a device its own digest password (stored as HA1); audited."""
        await self.passwords.set(as_caller(who), device_id, password)

    def _enqueue_setup(self, device_id: str) -> None:
        if device_id not in self._queued:
            self._queued.add(device_id)
            self._setup_queue.put_nowait(device_id)

    async def _setup_worker(self) -> None:
        while True:
            device_id = await self._setup_queue.get()
            self._queued.discard(device_id)
            try:
                await self._setup(device_id)
            except (TimeoutError, Conflict) as exc:
                log.info(
                    "device setup incomplete", extra={"device_id": device_id, "error": str(exc)}
                )
            except Exception:
                log.exception("device setup failed", extra={"device_id": device_id})

    async def _setup(self, device_id: str) -> None:
        """After a fresh registration: DeviceInfo, then the catalog, then subscriptions."""
        info = await self.query(device_id, DeviceInfoQuery(sn=self.next_sn(), device_id=device_id))
        if isinstance(info, DeviceInfoResponse):
            values = {
                "name": info.device_name,
                "manufacturer": info.manufacturer,
                "model": info.model,
                "firmware": info.firmware,
            }
            await self.records.update_info(
                device_id, {k: v[: 128 if k == "name" else 64] for k, v in values.items() if v}
            )
        await self.sync_catalog(device_id)
        await self.subscriptions.subscribe_all(device_id)


async def _ignore_answer(answer: Awaitable[SipResponse | None]) -> None:
    await answer
