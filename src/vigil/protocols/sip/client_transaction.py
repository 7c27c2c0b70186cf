"""RFC 3261 §17.1 client transactions: INVITE (figure 5 + RFC 6026) and non-INVITE (figure 6).

INVITE: Timer A retransmits from T1, doubling without a cap, until Timer B (64·T1) gives up; a
non-2xx final is ACKed here (§17.1.1.3) and Timer D absorbs its retransmissions; a 2xx is the TU's
to ACK, and RFC 6026's Timer M keeps the transaction alive to pass 2xx retransmissions up.
Non-INVITE: Timer E retransmits from T1, doubling up to T2 (and at T2 once a 1xx arrived), until
Timer F; Timer K absorbs retransmitted finals.
"""

from __future__ import annotations

from typing import ClassVar

from vigil.protocols.errors import SipError
from vigil.protocols.sip.headers import Headers
from vigil.protocols.sip.message import SipMessage, SipRequest, SipResponse
from vigil.protocols.sip.transaction import (
    Action,
    Deliver,
    Handler,
    TimerConfig,
    Transaction,
    TransactionState,
    Transmit,
    response_event,
)

__all__ = ["InviteClientTransaction", "NonInviteClientTransaction", "ack_for"]

S = TransactionState


def ack_for(invite: SipRequest, response: SipResponse) -> SipRequest:
    """RFC 3261 §17.1.1.3: the ACK for a non-2xx final, sent within the INVITE's transaction."""
    src = invite.headers
    items = [
        ("Via", src.get_list("Via")[0]),
        *(("Route", v) for v in src.get_all("Route")),
        ("Max-Forwards", src.get("Max-Forwards") or "70"),
        ("From", src.get("From") or ""),
        ("To", response.headers.get("To") or ""),
        ("Call-ID", invite.call_id),
        ("CSeq", f"{invite.cseq.seq} ACK"),
    ]
    return SipRequest("ACK", invite.uri, Headers(items))


class _ClientTransaction(Transaction):
    __slots__ = ()
    _VERB = "send"
    _FIRST: ClassVar[TransactionState]  # the state after sending: Calling or Trying
    _RETRANSMIT: ClassVar[str]  # the retransmission timer: A or E

    def _start(self, now: float, _: SipMessage | None) -> list[Action]:
        """Send the request; retransmit it until an answer, give up after 64·T1 (B or F)."""
        self.state = self._FIRST
        self._retransmit_timer(self._RETRANSMIT, now)
        self._arm(self._GIVE_UP, now, self.timers.long)
        return [Transmit(self.request)]

    def receive(self, response: SipMessage, now: float) -> list[Action]:
        """Feed a response matched to this transaction by :class:`TransactionKey`."""
        if not isinstance(response, SipResponse):
            raise SipError(f"a client transaction cannot receive a {response.method} request")
        return self._fire(response_event(response), now, response)


class InviteClientTransaction(_ClientTransaction):
    """Figure 5 with RFC 6026: Calling → Proceeding → Accepted | Completed → Terminated."""

    __slots__ = ("_ack",)
    KIND = "INVITE client"
    INVITE = True
    _GIVE_UP = "B"
    _FIRST = S.CALLING
    _RETRANSMIT = "A"

    def __init__(
        self, request: SipRequest, *, reliable: bool = False, timers: TimerConfig | None = None
    ) -> None:
        super().__init__(request, reliable=reliable, timers=timers)
        self._ack: SipRequest | None = None

    def _timer_a(self, now: float, _: SipMessage | None) -> list[Action]:
        self._interval *= 2
        self._arm("A", now, self._interval)
        return [Transmit(self.request)]

    def _provisional(self, now: float, response: SipMessage | None) -> list[Action]:
        assert response is not None
        self.state = S.PROCEEDING
        self._disarm("A", "B")
        return [Deliver(response)]

    def _success(self, now: float, response: SipMessage | None) -> list[Action]:
        assert response is not None
        self.state = S.ACCEPTED
        self._disarm("A", "B")
        self._arm("M", now, self.timers.long)
        return [Deliver(response)]

    def _failure(self, now: float, response: SipMessage | None) -> list[Action]:
        assert isinstance(response, SipResponse)
        self.state = S.COMPLETED
        self._disarm("A", "B")
        self._ack = ack_for(self.request, response)
        actions: list[Action] = [Transmit(self._ack), Deliver(response)]
        return actions + self._linger("D", now, self.timers.d)

    def _resend_ack(self, now: float, _: SipMessage | None) -> list[Action]:
        return [Transmit(self._ack)] if self._ack is not None else []

    def _pass_up(self, now: float, response: SipMessage | None) -> list[Action]:
        assert response is not None
        return [Deliver(response)]

    _TABLE: ClassVar[dict[tuple[TransactionState, str], Handler]] = {
        (S.IDLE, "start"): _ClientTransaction._start,
        (S.CALLING, "timer A"): _timer_a,
        (S.CALLING, "timer B"): Transaction._give_up,
        (S.CALLING, "1xx"): _provisional,
        (S.PROCEEDING, "1xx"): _provisional,
        (S.CALLING, "2xx"): _success,
        (S.PROCEEDING, "2xx"): _success,
        (S.CALLING, "300-699"): _failure,
        (S.PROCEEDING, "300-699"): _failure,
        (S.ACCEPTED, "2xx"): _pass_up,
        (S.ACCEPTED, "timer M"): Transaction._end,
        (S.COMPLETED, "300-699"): _resend_ack,
        (S.COMPLETED, "timer D"): Transaction._end,
    }


class NonInviteClientTransaction(_ClientTransaction):
    """Figure 6: Trying → Proceeding → Completed → Terminated."""

    __slots__ = ()
    KIND = "non-INVITE client"
    INVITE = False
    _GIVE_UP = "F"
    _FIRST = S.TRYING
    _RETRANSMIT = "E"

    def _timer_e(self, now: float, _: SipMessage | None) -> list[Action]:
        if self.state is S.PROCEEDING:
            self._interval = self.timers.t2
        else:
            self._interval = min(2 * self._interval, self.timers.t2)
        self._arm("E", now, self._interval)
        return [Transmit(self.request)]

    def _provisional(self, now: float, response: SipMessage | None) -> list[Action]:
        assert response is not None
        self.state = S.PROCEEDING
        return [Deliver(response)]

    def _final(self, now: float, response: SipMessage | None) -> list[Action]:
        assert response is not None
        self.state = S.COMPLETED
        self._disarm("E", "F")
        actions: list[Action] = [Deliver(response)]
        return actions + self._linger("K", now, self.timers.t4)

    _TABLE: ClassVar[dict[tuple[TransactionState, str], Handler]] = {
        (S.IDLE, "start"): _ClientTransaction._start,
        (S.TRYING, "timer E"): _timer_e,
        (S.PROCEEDING, "timer E"): _timer_e,
        (S.TRYING, "timer F"): Transaction._give_up,
        (S.PROCEEDING, "timer F"): Transaction._give_up,
        (S.TRYING, "1xx"): _provisional,
        (S.PROCEEDING, "1xx"): _provisional,
        (S.TRYING, "2xx"): _final,
        (S.PROCEEDING, "2xx"): _final,
        (S.TRYING, "300-699"): _final,
        (S.PROCEEDING, "300-699"): _final,
        (S.COMPLETED, "1xx"): Transaction._absorb,
        (S.COMPLETED, "2xx"): Transaction._absorb,
        (S.COMPLETED, "300-699"): Transaction._absorb,
        (S.COMPLETED, "timer K"): Transaction._end,
    }
