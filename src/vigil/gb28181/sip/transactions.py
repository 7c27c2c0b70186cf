"""The transaction layer: the protocol core's RFC 3261 machines wired to the loop and the endpoint.

Each transaction's one timer is a ``loop.call_at`` at its ``next_deadline()``; the actions it
returns are carried out at once (Transmit → the endpoint, Deliver → the transaction user or the
waiting caller, TimedOut/Terminated → removal). Requests are matched to server transactions and
responses to client transactions by :class:`TransactionKey`, so retransmissions are answered from
the transaction and never reach the services twice.

A new request is handed to the transaction user in a task of its own (named for the method and
branch) because answering may need the database; the task's returned response is sent through the
transaction. Everything is cancelled by :meth:`TransactionLayer.stop`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from vigil.gb28181.sip.transport import Peer, SipEndpoint, reason_phrase
from vigil.protocols.errors import ProtocolError
from vigil.protocols.sip import (
    Action,
    Deliver,
    InviteClientTransaction,
    InviteServerTransaction,
    NonInviteClientTransaction,
    NonInviteServerTransaction,
    SipMessage,
    SipRequest,
    SipResponse,
    TimedOut,
    TimerConfig,
    Transaction,
    TransactionKey,
    Transmit,
    make_response,
)
from vigil.tasks import OwnedTasks

__all__ = ["RequestHandler", "TransactionLayer", "TransactionTimeout"]

log = logging.getLogger(__name__)

RequestHandler = Callable[[SipRequest, Peer], Awaitable[SipResponse | None]]
"""The transaction user: answer a new request (None: it will answer later with ``respond``)."""
StrayHandler = Callable[[SipMessage, Peer], None]


class TransactionTimeout(TimeoutError):
    """The peer never answered (Timer B or F), or its connection was gone."""


@dataclass(eq=False, slots=True)
class _Entry:
    transaction: Transaction
    peer: Peer
    timer: asyncio.TimerHandle | None = None
    future: asyncio.Future[SipResponse] | None = None
    provisional: Callable[[SipResponse], None] | None = field(default=None)

    def disarm(self) -> None:
        """Cancel the armed timer, if any."""
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None


class TransactionLayer:
    """Owns every live transaction; see the module docstring."""

    def __init__(
        self,
        endpoint: SipEndpoint,
        handler: RequestHandler,
        *,
        timers: TimerConfig | None = None,
        on_stray: StrayHandler | None = None,
    ) -> None:
        self._endpoint = endpoint
        self._handler = handler
        self._timers = timers or TimerConfig()
        self._on_stray = on_stray
        self._servers: dict[TransactionKey, _Entry] = {}
        self._clients: dict[TransactionKey, _Entry] = {}
        self._tasks = OwnedTasks()
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def active(self) -> int:
        """Live transactions (both kinds), for tests and the benchmark."""
        return len(self._servers) + len(self._clients)

    def _now(self) -> float:
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
        return self._loop.time()

    # incoming ----------------------------------------------------------------------------

    def receive(self, message: SipMessage, peer: Peer) -> None:
        """The endpoint's message handler."""
        try:
            if isinstance(message, SipResponse):
                self._receive_response(message, peer)
            else:
                self._receive_request(message, peer)
        except ProtocolError as exc:
            self._endpoint.bad_input(peer, "transaction", exc)
            if isinstance(message, SipRequest) and message.method != "ACK":
                self._send_error(message, peer, exc)

    def _send_error(self, request: SipRequest, peer: Peer, error: ProtocolError) -> None:
        status = error.status_hint if 400 <= error.status_hint < 600 else 400
        with contextlib.suppress(ProtocolError):  # too broken to answer at all
            self._endpoint.send(peer, bytes(make_response(request, status, reason_phrase(error))))

    def _receive_request(self, request: SipRequest, peer: Peer) -> None:
        key = TransactionKey.for_server(request)
        entry = self._servers.get(key)
        if entry is not None:
            self._run(entry, entry.transaction.receive(request, self._now()))  # type: ignore[attr-defined]
            return
        if request.method == "ACK":
            if self._on_stray is not None:
                self._on_stray(request, peer)
            return
        cls = InviteServerTransaction if request.method == "INVITE" else NonInviteServerTransaction
        transaction = cls(request, reliable=peer.reliable, timers=self._timers)
        entry = _Entry(transaction, peer)
        self._servers[key] = entry
        self._run(entry, transaction.start(self._now()))

    def _receive_response(self, response: SipResponse, peer: Peer) -> None:
        entry = self._clients.get(TransactionKey.for_client(response))
        if entry is None:
            if self._on_stray is not None:
                self._on_stray(response, peer)
            return
        self._run(entry, entry.transaction.receive(response, self._now()))  # type: ignore[attr-defined]

    # the transaction user -----------------------------------------------------------------

    def _deliver_request(self, entry: _Entry, request: SipRequest) -> None:
        self._tasks.spawn(
            self._answer(entry, request), f"sip.request:{request.method}:{request.branch}"
        )

    async def _answer(self, entry: _Entry, request: SipRequest) -> None:
        try:
            response = await self._handler(request, entry.peer)
        except ProtocolError as exc:
            self._endpoint.bad_input(entry.peer, request.method, exc)
            status = exc.status_hint if 400 <= exc.status_hint < 600 else 400
            response = make_response(request, status, reason_phrase(exc))
        except Exception:
            log.exception("SIP request handler failed", extra={"peer": str(entry.peer)})
            response = make_response(request, 500)
        if response is not None:
            self.respond(request, response)

    def respond(self, request: SipRequest, response: SipResponse) -> None:
        """Send ``response`` to ``request`` through its server transaction (if it still lives)."""
        entry = self._servers.get(TransactionKey.for_server(request))
        if entry is None or entry.transaction.terminated:
            return
        server = entry.transaction
        assert isinstance(server, NonInviteServerTransaction | InviteServerTransaction)
        try:
            actions = server.send_response(response, self._now())
        except ProtocolError as exc:
            log.debug("response not sent", extra={"error": str(exc)})
            return
        self._run(entry, actions)

    # outgoing -----------------------------------------------------------------------------

    async def request(
        self,
        request: SipRequest,
        peer: Peer,
        *,
        provisional: Callable[[SipResponse], None] | None = None,
    ) -> SipResponse:
        """Send ``request`` to ``peer`` in a client transaction; return its final response.

        Raises :class:`TransactionTimeout` when no final response came (64·T1 on UDP) or the TCP
        connection to the peer is gone.
        """
        if not self._endpoint.connected(peer):
            raise TransactionTimeout(f"no connection to {peer}")
        cls = InviteClientTransaction if request.method == "INVITE" else NonInviteClientTransaction
        transaction = cls(request, reliable=peer.reliable, timers=self._timers)
        future: asyncio.Future[SipResponse] = asyncio.get_running_loop().create_future()
        entry = _Entry(transaction, peer, future=future, provisional=provisional)
        key = transaction.key
        self._clients[key] = entry
        self._run(entry, transaction.start(self._now()))
        try:
            return await future
        finally:
            if not future.done():
                future.cancel()

    def transmit(self, message: SipMessage, peer: Peer) -> bool:
        """Send outside any transaction (the ACK of a 2xx, a 2xx retransmitted by a dialog)."""
        return self._endpoint.send(peer, bytes(message))

    # plumbing -----------------------------------------------------------------------------

    def _run(self, entry: _Entry, actions: list[Action]) -> None:
        for action in actions:
            if isinstance(action, Transmit):
                if not self._endpoint.send(entry.peer, action.data):
                    self._fail(entry, TransactionTimeout(f"connection to {entry.peer} is gone"))
            elif isinstance(action, Deliver):
                self._deliver(entry, action.message)
            elif isinstance(action, TimedOut):
                self._fail(entry, TransactionTimeout(f"no answer from {entry.peer}"))
            else:
                self._remove(entry)
        if not entry.transaction.terminated:
            self._arm(entry)

    def _deliver(self, entry: _Entry, message: SipMessage) -> None:
        if isinstance(message, SipRequest):
            self._deliver_request(entry, message)
            return
        if message.status < 200:
            if entry.provisional is not None:
                entry.provisional(message)
        elif entry.future is not None and not entry.future.done():
            entry.future.set_result(message)
        elif self._on_stray is not None:
            self._on_stray(message, entry.peer)

    def _fail(self, entry: _Entry, error: Exception) -> None:
        if entry.future is not None and not entry.future.done():
            entry.future.set_exception(error)

    def _arm(self, entry: _Entry) -> None:
        entry.disarm()
        deadline = entry.transaction.next_deadline()
        if deadline is not None:
            loop = asyncio.get_running_loop()
            entry.timer = loop.call_at(deadline, self._fire, entry)

    def _fire(self, entry: _Entry) -> None:
        entry.timer = None
        if entry.transaction.terminated:
            return
        self._run(entry, entry.transaction.on_timer(self._now()))

    def _remove(self, entry: _Entry) -> None:
        entry.disarm()
        table = self._clients if entry.future is not None else self._servers
        key = entry.transaction.key
        if table.get(key) is entry:
            del table[key]

    async def stop(self) -> None:
        """Cancel every timer, waiting caller and request task."""
        for entry in [*self._servers.values(), *self._clients.values()]:
            entry.disarm()
            if entry.future is not None and not entry.future.done():
                entry.future.cancel()
        self._servers.clear()
        self._clients.clear()
        await self._tasks.stop()
