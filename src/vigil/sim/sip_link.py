"""The simulator's SIP transport: one UDP socket or TCP connection to the platform, and the
transaction tables that run the protocol core's sans-I/O machines on it.

A link may carry several devices (a swarm shares one UDP socket between hundreds): requests from
the platform are routed by the Request-URI user (the device or channel ID) to the device that
owns it. Client transactions resolve a future with their final response; server transactions
hand the request to the device's handler with a ``respond`` callable, retransmit and absorb
duplicates as RFC 3261 §17 says. Timers are ``loop.call_at`` handles, one per transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Literal

from vigil.protocols.errors import SipError
from vigil.protocols.sip import (
    Action,
    Deliver,
    InviteServerTransaction,
    NonInviteClientTransaction,
    NonInviteServerTransaction,
    SipMessage,
    SipRequest,
    SipResponse,
    StreamParser,
    TimedOut,
    TransactionKey,
    Transmit,
    Via,
    make_response,
    new_branch,
    parse_message,
)

__all__ = ["RequestHandler", "Respond", "SipLink", "TransportName"]

log = logging.getLogger(__name__)

TransportName = Literal["udp", "tcp"]
Respond = Callable[[SipResponse], None]
RequestHandler = Callable[[SipRequest, Respond], Awaitable[None]]
Address = tuple[str, int]
_Txn = NonInviteClientTransaction | InviteServerTransaction | NonInviteServerTransaction


@dataclass(slots=True)
class _Entry:
    """A live transaction, where its messages go, and its armed timer."""

    txn: _Txn
    peer: Address
    future: asyncio.Future[SipResponse] | None = None
    timer: asyncio.TimerHandle | None = field(default=None, repr=False)


class _Udp(asyncio.DatagramProtocol):
    def __init__(self, link: SipLink) -> None:
        self.link = link

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        if data.strip():  # CRLF keep-alives carry nothing
            self.link._on_bytes(data, (addr[0], addr[1]))


class SipLink:
    """SIP over one local socket to ``server``; ``open()`` before use, ``close()`` after."""

    def __init__(self, transport: TransportName, local_host: str, server: Address) -> None:
        self.transport: TransportName = transport
        self.local_host = local_host
        self.server = server
        self.local: Address = (local_host, 0)
        self._handlers: dict[str, RequestHandler] = {}
        self._table: dict[TransactionKey, _Entry] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._udp: asyncio.DatagramTransport | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._reader_task: asyncio.Task[None] | None = None
        self.closed = asyncio.Event()

    @property
    def reliable(self) -> bool:
        return self.transport == "tcp"

    async def open(self) -> None:
        """Bind the UDP socket or connect the TCP connection (raises ``OSError`` on failure)."""
        loop = asyncio.get_running_loop()
        if self.transport == "udp":
            transport, _ = await loop.create_datagram_endpoint(
                lambda: _Udp(self), local_addr=(self.local_host, 0)
            )
            self._udp = transport
        else:
            reader, writer = await asyncio.open_connection(
                *self.server, local_addr=(self.local_host, 0)
            )
            self._writer = writer
            self._reader_task = asyncio.create_task(
                self._read_stream(reader), name=f"sim.sip.tcp:{self.local_host}"
            )
        transport_obj = self._udp if self._udp is not None else self._writer
        assert transport_obj is not None
        sockname = transport_obj.get_extra_info("sockname")
        self.local = (sockname[0], sockname[1])
        self.closed.clear()

    def attach(self, user: str, handler: RequestHandler) -> None:
        """Route requests whose Request-URI user is ``user`` to ``handler``."""
        self._handlers[user] = handler

    def detach(self, user: str) -> None:
        self._handlers.pop(user, None)

    @property
    def users(self) -> int:
        return len(self._handlers)

    def via(self) -> Via:
        """A top Via for a new request from this link (fresh branch, rport asked for)."""
        host, port = self.local
        return Via(self.transport.upper(), host, port, new_branch(), rport=True)

    async def request(self, request: SipRequest) -> SipResponse:
        """Send ``request`` in a client transaction; the final response, or ``TimeoutError``."""
        if self.closed.is_set():
            raise ConnectionError("SIP link closed")
        txn = NonInviteClientTransaction(request, reliable=self.reliable)
        future: asyncio.Future[SipResponse] = asyncio.get_running_loop().create_future()
        entry = _Entry(txn, self.server, future)
        self._table[txn.key] = entry
        self._run(entry, txn.start(self._now()))
        return await future

    def send(self, message: SipMessage, peer: Address | None = None) -> None:
        """Send outside any transaction (the ACK of a 2xx, a 2xx retransmission)."""
        self._write(bytes(message), peer or self.server)

    def close(self) -> None:
        """Drop every transaction, cancel handlers and close the socket."""
        self._drop_transactions()
        for task in list(self._tasks):
            task.cancel()
        if self._reader_task is not None:
            self._reader_task.cancel()
        if self._udp is not None:
            self._udp.close()
        if self._writer is not None:
            self._writer.close()
        self.closed.set()

    def _drop_transactions(self) -> None:
        for entry in self._table.values():
            if entry.timer is not None:
                entry.timer.cancel()
            if entry.future is not None and not entry.future.done():
                entry.future.set_exception(ConnectionError("SIP link closed"))
        self._table.clear()

    # -- receiving ---------------------------------------------------------------------------

    async def _read_stream(self, reader: asyncio.StreamReader) -> None:
        parser = StreamParser()
        try:
            while data := await reader.read(65536):
                for message in parser.feed(data):
                    self._on_message(message, self.server)
        except (SipError, ConnectionError) as exc:
            log.warning("SIP connection failed", extra={"peer": self.server, "error": str(exc)})
        finally:
            log.info("SIP connection closed", extra={"local": f"{self.local[0]}:{self.local[1]}"})
            self.closed.set()
            self._drop_transactions()  # requests in flight fail now, not after Timer F

    def _on_bytes(self, data: bytes, peer: Address) -> None:
        try:
            message = parse_message(data)
        except SipError as exc:
            log.warning("unparsable SIP datagram", extra={"peer": peer, "error": str(exc)})
            return
        self._on_message(message, peer)

    def _on_message(self, message: SipMessage, peer: Address) -> None:
        try:
            if isinstance(message, SipResponse):
                entry = self._table.get(TransactionKey.for_client(message))
                if entry is not None:
                    self._run(entry, entry.txn.receive(message, self._now()))
                return
            self._on_request(message, peer)
        except SipError as exc:
            log.warning("SIP message dropped", extra={"peer": peer, "error": str(exc)})

    def _on_request(self, request: SipRequest, peer: Address) -> None:
        key = TransactionKey.for_server(request)
        entry = self._table.get(key)
        if entry is not None:
            self._run(entry, entry.txn.receive(request, self._now()))
            return
        if request.method == "ACK":  # the ACK of a 2xx is its own transaction (RFC 3261 §17.1.1.3)
            self._dispatch(request, lambda _: None)
            return
        txn: _Txn
        if request.method == "INVITE":
            txn = InviteServerTransaction(request, reliable=self.reliable)
        else:
            txn = NonInviteServerTransaction(request, reliable=self.reliable)
        entry = _Entry(txn, peer)
        self._table[key] = entry
        self._run(entry, txn.start(self._now()))

    def _dispatch(self, request: SipRequest, respond: Respond) -> None:
        user = request.request_uri.user or ""
        handler = self._handlers.get(user)
        if handler is None and len(self._handlers) == 1:
            handler = next(iter(self._handlers.values()))  # a channel ID addressed to its device
        if handler is None:
            respond(make_response(request, 404))
            return
        task = asyncio.create_task(
            self._handle(handler, request, respond), name=f"sim.sip.{request.method}:{user}"
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _handle(self, handler: RequestHandler, request: SipRequest, respond: Respond) -> None:
        answered = False

        def once(response: SipResponse) -> None:
            """One final answer; an INVITE's 2xx may be sent again (the TU retransmits it)."""
            nonlocal answered
            again = request.method == "INVITE" and 200 <= response.status < 300
            if not answered or again:
                answered = True
                respond(response)

        try:
            await handler(request, once)
        except Exception:
            log.exception("request handler failed", extra={"method": request.method})
            if request.method != "ACK":
                once(make_response(request, 500))
        if not answered and request.method != "ACK":
            once(make_response(request, 500, "No Answer"))

    # -- transactions ------------------------------------------------------------------------

    def _server_respond(self, entry: _Entry) -> Respond:
        txn = entry.txn
        assert isinstance(txn, InviteServerTransaction | NonInviteServerTransaction)

        def respond(response: SipResponse) -> None:
            if entry.txn.terminated:
                return
            self._run(entry, txn.send_response(response, self._now()))

        return respond

    def _run(self, entry: _Entry, actions: list[Action]) -> None:
        for action in actions:
            if isinstance(action, Transmit):
                self._write(action.data, entry.peer)
            elif isinstance(action, Deliver):
                self._deliver(entry, action.message)
            elif isinstance(action, TimedOut):
                if entry.future is not None and not entry.future.done():
                    entry.future.set_exception(TimeoutError(f"SIP timer {action.timer} fired"))
            else:
                self._table.pop(entry.txn.key, None)
        self._rearm(entry)

    def _deliver(self, entry: _Entry, message: SipMessage) -> None:
        if isinstance(message, SipRequest):
            self._dispatch(message, self._server_respond(entry))
        elif message.status >= 200 and entry.future is not None and not entry.future.done():
            entry.future.set_result(message)

    def _rearm(self, entry: _Entry) -> None:
        if entry.timer is not None:
            entry.timer.cancel()
            entry.timer = None
        deadline = entry.txn.next_deadline()
        if deadline is not None and not entry.txn.terminated:
            loop = asyncio.get_running_loop()
            entry.timer = loop.call_at(deadline, self._on_timer, entry)

    def _on_timer(self, entry: _Entry) -> None:
        entry.timer = None
        with contextlib.suppress(SipError):
            self._run(entry, entry.txn.on_timer(self._now()))

    def _write(self, data: bytes, peer: Address) -> None:
        if self._udp is not None:
            self._udp.sendto(data, peer)
        elif self._writer is not None and not self._writer.is_closing():
            self._writer.write(data)

    @staticmethod
    def _now() -> float:
        return asyncio.get_running_loop().time()
