"""What the four RFC 3261 §17 transaction machines share: states, actions, timers, keys, dispatch.

Theory of operation. A transaction is a transition table keyed by ``(state, event)``; events are
the start, a received message classified as ``"1xx"``, ``"2xx"``, ``"300-699"``, ``"request"``
or ``"ACK"``, a response the TU sends (``"send 1xx"`` ...) and a timer firing (``"timer A"``).
A pair missing from the table is an illegal event and raises :class:`SipError` (status hint
481): the caller dropped or misrouted something, and saying so beats silently absorbing it.

Nothing here reads a clock or a socket. The caller passes ``now`` to every method, arms one timer
for :meth:`Transaction.next_deadline`, calls :meth:`Transaction.on_timer` when it expires, and
carries out the returned actions in order: :class:`Transmit` to the peer, :class:`Deliver` to the
transaction user, :class:`TimedOut` and :class:`Terminated` to whoever owns the transaction table.
Over a reliable transport the retransmission timers (A, E, G) are never armed and the "wait for
stragglers" timers (D, I, J, K) are zero, so the transaction ends at once (RFC 3261 §17.1.1.2 ...).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import ClassVar

from vigil.protocols.errors import SipError
from vigil.protocols.sip.message import SipMessage, SipRequest, SipResponse
from vigil.protocols.sip.typed_headers import Via

__all__ = [
    "Action",
    "Deliver",
    "Terminated",
    "TimedOut",
    "TimerConfig",
    "Transaction",
    "TransactionKey",
    "TransactionState",
    "Transmit",
    "response_event",
]


class TransactionState(enum.Enum):
    """Union of the states in RFC 3261 figures 5–8 and RFC 6026 ``Accepted``."""

    IDLE = "idle"
    CALLING = "calling"
    TRYING = "trying"
    PROCEEDING = "proceeding"
    ACCEPTED = "accepted"
    COMPLETED = "completed"
    CONFIRMED = "confirmed"
    TERMINATED = "terminated"


@dataclass(frozen=True, slots=True)
class TimerConfig:
    """RFC 3261 §17.1.1.1 / Table 4 base values in seconds; D is at least 32 s on UDP."""

    t1: float = 0.5
    t2: float = 4.0
    t4: float = 5.0
    d: float = 32.0

    @property
    def long(self) -> float:
        """64·T1: Timers B, F, H, J and RFC 6026's L and M."""
        return 64 * self.t1


@dataclass(frozen=True, slots=True)
class Transmit:
    """Send ``message`` to the peer (again, for a retransmission)."""

    message: SipMessage

    @property
    def data(self) -> bytes:
        """The bytes to write."""
        return bytes(self.message)


@dataclass(frozen=True, slots=True)
class Deliver:
    """Hand ``message`` to the transaction user (requests on servers, responses on clients)."""

    message: SipMessage


@dataclass(frozen=True, slots=True)
class TimedOut:
    """``timer`` (``"B"``, ``"F"`` or ``"H"``) fired: the peer never answered."""

    timer: str


@dataclass(frozen=True, slots=True)
class Terminated:
    """The transaction is over; remove it from the table."""


Action = Transmit | Deliver | TimedOut | Terminated
Handler = Callable[..., list[Action]]


@dataclass(frozen=True, slots=True)
class TransactionKey:
    """RFC 3261 §17.1.3 / §17.2.3 matching key: top branch, method and (servers) sent-by.

    ACK matches its INVITE's server transaction, so it keys as INVITE; CANCEL has its own.
    """

    branch: str
    method: str
    sent_by: str = ""

    @classmethod
    def for_server(cls, request: SipRequest) -> TransactionKey:
        """Key of the server transaction ``request`` belongs to."""
        values = request.headers.get_list("Via")
        if not values:
            raise SipError("missing Via header")
        top = Via.parse(values[0])
        if top.branch is None:
            raise SipError("top Via has no branch")
        method = "INVITE" if request.method == "ACK" else request.method
        return cls(top.branch, method, top.sent_by)

    @classmethod
    def for_client(cls, message: SipMessage) -> TransactionKey:
        """Key of the client transaction that sent ``message`` or receives it as a response."""
        branch = message.branch
        if branch is None:
            raise SipError("top Via has no branch")
        method = message.method if isinstance(message, SipRequest) else message.cseq.method
        return cls(branch, method)

    def cancelled(self) -> TransactionKey:
        """For a CANCEL's key: the key of the INVITE it cancels (RFC 3261 §9.2)."""
        return TransactionKey(self.branch, "INVITE", self.sent_by)


def response_event(response: SipResponse) -> str:
    """Classify a response into the table's event names."""
    if response.status < 200:
        return "1xx"
    return "2xx" if response.status < 300 else "300-699"


class Transaction:
    """Table dispatch and timer bookkeeping; subclasses supply ``_TABLE`` and the handlers."""

    __slots__ = ("_deadlines", "_interval", "reliable", "request", "state", "timers")

    KIND: ClassVar[str]
    INVITE: ClassVar[bool]  # whether this machine runs an INVITE (figures 5, 7) or not (6, 8)
    _VERB: ClassVar[str]  # what it does with its request, for the error: "send" or "serve"
    _GIVE_UP: ClassVar[str]  # the timer that ends the wait for the peer: B, F or H
    _TABLE: ClassVar[Mapping[tuple[TransactionState, str], Handler]]

    def __init__(
        self, request: SipRequest, *, reliable: bool = False, timers: TimerConfig | None = None
    ) -> None:
        if request.method == "ACK" or (request.method == "INVITE") != self.INVITE:
            article = "an" if self.INVITE else "a"
            raise SipError(
                f"{article} {self.KIND} transaction cannot {self._VERB} {request.method}"
            )
        self.request = request
        self.reliable = reliable
        self.timers = timers or TimerConfig()
        self.state = TransactionState.IDLE
        self._deadlines: dict[str, float] = {}
        self._interval = self.timers.t1

    @property
    def key(self) -> TransactionKey:
        """This transaction's matching key."""
        return TransactionKey.for_client(self.request)

    def start(self, now: float) -> list[Action]:
        """Begin: a client sends its request, a server delivers it to the TU."""
        return self._fire("start", now, None)

    def next_deadline(self) -> float | None:
        """When :meth:`on_timer` must next be called, or ``None`` if no timer is armed."""
        return min(self._deadlines.values(), default=None)

    def on_timer(self, now: float) -> list[Action]:
        """Fire every timer due at ``now``, earliest first."""
        actions: list[Action] = []
        while self._deadlines:
            name = min(self._deadlines, key=self._deadlines.__getitem__)
            if self._deadlines[name] > now:
                break
            del self._deadlines[name]
            actions += self._fire(f"timer {name}", now, None)
        return actions

    @property
    def terminated(self) -> bool:
        """Whether the transaction is over."""
        return self.state is TransactionState.TERMINATED

    def _fire(self, event: str, now: float, message: SipMessage | None) -> list[Action]:
        handler = self._TABLE.get((self.state, event))
        if handler is None:
            raise SipError(
                f"{self.KIND} transaction in state {self.state.value} cannot take {event}",
                status_hint=481,
            )
        return handler(self, now, message)

    def _give_up(self, now: float, _: SipMessage | None) -> list[Action]:
        return [TimedOut(self._GIVE_UP), *self._terminate()]

    def _absorb(self, now: float, _: SipMessage | None) -> list[Action]:
        return []

    def _end(self, now: float, _: SipMessage | None) -> list[Action]:
        return self._terminate()

    def _arm(self, name: str, now: float, delay: float) -> None:
        self._deadlines[name] = now + delay

    def _disarm(self, *names: str) -> None:
        for name in names:
            self._deadlines.pop(name, None)

    def _retransmit_timer(self, name: str, now: float) -> None:
        """Arm the first retransmission (A, E or G) at T1, on unreliable transports only."""
        if not self.reliable:
            self._interval = self.timers.t1
            self._arm(name, now, self._interval)

    def _linger(self, name: str, now: float, delay: float) -> list[Action]:
        """Enter the wait for stragglers (D, I, J, K): zero over reliable transports."""
        if self.reliable:
            return self._terminate()
        self._arm(name, now, delay)
        return []

    def _terminate(self) -> list[Action]:
        self.state = TransactionState.TERMINATED
        self._deadlines.clear()
        return [Terminated()]
