"""RFC 3261 §17.2 server transactions: INVITE (figure 7 + RFC 6026) and non-INVITE (figure 8).

INVITE: a 100 Trying goes out at once (§17.2.1 allows waiting 200 ms; devices retransmit INVITE
after 500 ms, so answering immediately is simpler and never wrong). A non-2xx final is
retransmitted by Timer G (T1 doubling to T2) until the ACK arrives or Timer H (64·T1) gives up;
Timer I absorbs ACK retransmissions. After a 2xx, RFC 6026's Timer L keeps the transaction to
absorb INVITE retransmissions while the TU retransmits the 2xx itself.
Non-INVITE: request retransmissions are answered with the last response; Timer J lingers.
"""

from __future__ import annotations

from typing import ClassVar

from vigil.protocols.errors import SipError
from vigil.protocols.sip.message import SipMessage, SipRequest, SipResponse, make_response
from vigil.protocols.sip.transaction import (
    Action,
    Deliver,
    Handler,
    TimerConfig,
    Transaction,
    TransactionKey,
    TransactionState,
    Transmit,
    response_event,
)

__all__ = ["InviteServerTransaction", "NonInviteServerTransaction"]

S = TransactionState


class _ServerTransaction(Transaction):
    __slots__ = ("_last",)
    _VERB = "serve"

    def __init__(
        self, request: SipRequest, *, reliable: bool = False, timers: TimerConfig | None = None
    ) -> None:
        super().__init__(request, reliable=reliable, timers=timers)
        self._last: SipResponse | None = None

    @property
    def key(self) -> TransactionKey:
        """This transaction's matching key (with sent-by, per §17.2.3)."""
        return TransactionKey.for_server(self.request)

    def receive(self, request: SipMessage, now: float) -> list[Action]:
        """Feed a retransmitted request, or the ACK, matched by :class:`TransactionKey`."""
        if not isinstance(request, SipRequest):
            raise SipError("a server transaction cannot receive a response")
        return self._fire("ACK" if request.method == "ACK" else "request", now, request)

    def send_response(self, response: SipResponse, now: float) -> list[Action]:
        """The TU answers; the transaction sends (and later retransmits) the response."""
        return self._fire("send " + response_event(response), now, response)

    def _resend(self, now: float, _: SipMessage | None) -> list[Action]:
        return [Transmit(self._last)] if self._last is not None else []

    def _remember(self, response: SipMessage | None) -> SipResponse:
        assert isinstance(response, SipResponse)
        self._last = response
        return response


class InviteServerTransaction(_ServerTransaction):
    """Figure 7 with RFC 6026: Proceeding → Accepted | Completed → Confirmed → Terminated."""

    __slots__ = ()
    KIND = "INVITE server"
    INVITE = True
    _GIVE_UP = "H"

    def _start(self, now: float, _: SipMessage | None) -> list[Action]:
        self.state = S.PROCEEDING
        trying = self._remember(make_response(self.request, 100))
        return [Transmit(trying), Deliver(self.request)]

    def _provisional(self, now: float, response: SipMessage | None) -> list[Action]:
        return [Transmit(self._remember(response))]

    def _success(self, now: float, response: SipMessage | None) -> list[Action]:
        assert response is not None
        self.state = S.ACCEPTED
        self._arm("L", now, self.timers.long)
        return [Transmit(response)]

    def _retransmit_success(self, now: float, response: SipMessage | None) -> list[Action]:
        assert response is not None
        return [Transmit(response)]

    def _failure(self, now: float, response: SipMessage | None) -> list[Action]:
        self.state = S.COMPLETED
        self._retransmit_timer("G", now)
        self._arm("H", now, self.timers.long)
        return [Transmit(self._remember(response))]

    def _timer_g(self, now: float, _: SipMessage | None) -> list[Action]:
        self._interval = min(2 * self._interval, self.timers.t2)
        self._arm("G", now, self._interval)
        return self._resend(now, None)

    def _ack(self, now: float, _: SipMessage | None) -> list[Action]:
        self.state = S.CONFIRMED
        self._disarm("G", "H")
        return self._linger("I", now, self.timers.t4)

    def _ack_after_success(self, now: float, ack: SipMessage | None) -> list[Action]:
        assert ack is not None
        return [Deliver(ack)]

    _TABLE: ClassVar[dict[tuple[TransactionState, str], Handler]] = {
        (S.IDLE, "start"): _start,
        (S.PROCEEDING, "request"): _ServerTransaction._resend,
        (S.PROCEEDING, "send 1xx"): _provisional,
        (S.PROCEEDING, "send 2xx"): _success,
        (S.PROCEEDING, "send 300-699"): _failure,
        (S.ACCEPTED, "request"): Transaction._absorb,
        (S.ACCEPTED, "send 2xx"): _retransmit_success,
        (S.ACCEPTED, "ACK"): _ack_after_success,
        (S.ACCEPTED, "timer L"): Transaction._end,
        (S.COMPLETED, "request"): _ServerTransaction._resend,
        (S.COMPLETED, "timer G"): _timer_g,
        (S.COMPLETED, "timer H"): Transaction._give_up,
        (S.COMPLETED, "ACK"): _ack,
        (S.CONFIRMED, "request"): Transaction._absorb,
        (S.CONFIRMED, "ACK"): Transaction._absorb,
        (S.CONFIRMED, "timer I"): Transaction._end,
    }


class NonInviteServerTransaction(_ServerTransaction):
    """Figure 8: Trying → Proceeding → Completed → Terminated."""

    __slots__ = ()
    KIND = "non-INVITE server"
    INVITE = False

    def _start(self, now: float, _: SipMessage | None) -> list[Action]:
        self.state = S.TRYING
        return [Deliver(self.request)]

    def _provisional(self, now: float, response: SipMessage | None) -> list[Action]:
        self.state = S.PROCEEDING
        return [Transmit(self._remember(response))]

    def _final(self, now: float, response: SipMessage | None) -> list[Action]:
        self.state = S.COMPLETED
        actions: list[Action] = [Transmit(self._remember(response))]
        return actions + self._linger("J", now, self.timers.long)

    _TABLE: ClassVar[dict[tuple[TransactionState, str], Handler]] = {
        (S.IDLE, "start"): _start,
        (S.TRYING, "request"): Transaction._absorb,
        (S.TRYING, "send 1xx"): _provisional,
        (S.TRYING, "send 2xx"): _final,
        (S.TRYING, "send 300-699"): _final,
        (S.PROCEEDING, "request"): _ServerTransaction._resend,
        (S.PROCEEDING, "send 1xx"): _provisional,
        (S.PROCEEDING, "send 2xx"): _final,
        (S.PROCEEDING, "send 300-699"): _final,
        (S.COMPLETED, "request"): _ServerTransaction._resend,
        (S.COMPLETED, "timer J"): Transaction._end,
    }
