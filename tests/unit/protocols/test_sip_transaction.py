"""RFC 3261 §17 transactions on a fake clock: timer sequences, retransmits, illegal events."""

from __future__ import annotations

import pytest

from vigil.protocols.errors import SipError
from vigil.protocols.sip import (
    Action,
    Deliver,
    InviteClientTransaction,
    InviteServerTransaction,
    NameAddr,
    NonInviteClientTransaction,
    NonInviteServerTransaction,
    SipRequest,
    SipResponse,
    Terminated,
    TimedOut,
    TimerConfig,
    TransactionKey,
    TransactionState,
    Transmit,
    Via,
    make_request,
    make_response,
    parse_message,
)
from vigil.protocols.sip.transaction import Transaction


def _request(method: str) -> SipRequest:
    return make_request(
        method,
        "sip:34020000001320000001@192.168.1.64:5060",
        via=Via("UDP", "192.168.1.10", 5060, "z9hG4bKtx1", True),
        from_=NameAddr.parse("<sip:34020000002000000001@3402000000>;tag=f1"),
        to=NameAddr.parse("<sip:34020000001320000001@3402000000>"),
        call_id="call-1",
        cseq=7,
        headers=[("Route", "<sip:proxy.example;lr>")],
    )


def _state(tx: Transaction) -> TransactionState:
    """Read the state through a call so that mypy does not keep an earlier narrowing."""
    return tx.state


def _run(tx: Transaction, until: float) -> list[tuple[float, Action]]:
    """Fire every deadline up to ``until`` as a real event loop would, recording when."""
    fired: list[tuple[float, Action]] = []
    while (deadline := tx.next_deadline()) is not None and deadline <= until:
        fired += [(deadline, a) for a in tx.on_timer(deadline)]
    return fired


def test_invite_client_timer_a_doubles_until_timer_b() -> None:
    tx = InviteClientTransaction(_request("INVITE"))
    assert tx.start(0.0) == [Transmit(tx.request)]
    fired = _run(tx, 100.0)
    retransmits = [t for t, a in fired if isinstance(a, Transmit)]
    assert retransmits == [0.5, 1.5, 3.5, 7.5, 15.5, 31.5]
    assert [a for _, a in fired[-2:]] == [TimedOut("B"), Terminated()]
    assert fired[-1][0] == 32.0
    assert _state(tx) is TransactionState.TERMINATED and tx.next_deadline() is None


def test_non_invite_client_timer_e_capped_at_t2() -> None:
    tx = NonInviteClientTransaction(_request("MESSAGE"))
    tx.start(0.0)
    fired = _run(tx, 100.0)
    times = [t for t, a in fired if isinstance(a, Transmit)]
    gaps = [round(b - a, 3) for a, b in zip([0.0, *times], times, strict=False)]
    assert gaps == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0]
    assert [a for _, a in fired[-2:]] == [TimedOut("F"), Terminated()]
    assert fired[-1][0] == 32.0


def test_non_invite_client_provisional_moves_e_to_t2_and_final_waits_k() -> None:
    req = _request("MESSAGE")
    tx = NonInviteClientTransaction(req)
    tx.start(0.0)
    trying = make_response(req, 100)
    assert tx.receive(trying, 0.2) == [Deliver(trying)]
    assert _state(tx) is TransactionState.PROCEEDING
    assert tx.on_timer(0.5) == [Transmit(req)]
    assert tx.next_deadline() == 4.5
    ok = make_response(req, 200, to_tag="t")
    assert tx.receive(ok, 1.0) == [Deliver(ok)]
    assert _state(tx) is TransactionState.COMPLETED and tx.next_deadline() == 6.0
    assert tx.receive(ok, 2.0) == []
    assert tx.on_timer(6.0) == [Terminated()]


def test_reliable_transport_has_no_retransmits_and_no_linger() -> None:
    req = _request("MESSAGE")
    tx = NonInviteClientTransaction(req, reliable=True)
    tx.start(0.0)
    assert tx.next_deadline() == 32.0
    ok = make_response(req, 200, to_tag="t")
    assert tx.receive(ok, 1.0) == [Deliver(ok), Terminated()]

    invite = _request("INVITE")
    ict = InviteClientTransaction(invite, reliable=True)
    ict.start(0.0)
    assert _run(ict, 31.9) == []
    busy = make_response(invite, 486, to_tag="t")
    actions = ict.receive(busy, 1.0)
    assert isinstance(actions[0], Transmit) and actions[1:] == [Deliver(busy), Terminated()]


def test_invite_client_acks_non_2xx_and_absorbs_retransmissions() -> None:
    invite = _request("INVITE")
    tx = InviteClientTransaction(invite, timers=TimerConfig(t1=0.1))
    tx.start(0.0)
    ringing = make_response(invite, 180, to_tag="dev")
    assert tx.receive(ringing, 0.05) == [Deliver(ringing)]
    assert tx.next_deadline() is None
    busy = make_response(invite, 486, to_tag="dev")
    ack_action, deliver = tx.receive(busy, 1.0)
    assert deliver == Deliver(busy)
    assert isinstance(ack_action, Transmit)
    ack = parse_message(ack_action.data)
    assert isinstance(ack, SipRequest) and ack.method == "ACK"
    assert ack.uri == invite.uri and ack.branch == invite.branch
    assert str(ack.cseq) == "7 ACK" and ack.to.tag == "dev"
    assert ack.headers.get_all("Route") == ("<sip:proxy.example;lr>",)
    assert tx.receive(busy, 2.0) == [ack_action]
    assert tx.next_deadline() == 33.0
    assert tx.on_timer(33.0) == [Terminated()]


def test_invite_client_2xx_goes_to_tu_and_accepted_passes_retransmissions() -> None:
    invite = _request("INVITE")
    tx = InviteClientTransaction(invite)
    tx.start(0.0)
    ok = make_response(invite, 200, to_tag="dev")
    assert tx.receive(ok, 0.3) == [Deliver(ok)]
    assert _state(tx) is TransactionState.ACCEPTED
    assert tx.receive(ok, 1.0) == [Deliver(ok)]
    assert tx.on_timer(32.3) == [Terminated()]


def test_invite_server_trying_retransmit_and_timers_g_h() -> None:
    invite = _request("INVITE")
    tx = InviteServerTransaction(invite)
    trying_action, deliver = tx.start(0.0)
    assert deliver == Deliver(invite)
    assert isinstance(trying_action, Transmit)
    assert isinstance(trying_action.message, SipResponse) and trying_action.message.status == 100
    assert tx.receive(invite, 0.5) == [trying_action]
    nf = make_response(invite, 404, to_tag="s")
    assert tx.send_response(nf, 1.0) == [Transmit(nf)]
    fired = _run(tx, 100.0)
    times = [t for t, a in fired if isinstance(a, Transmit)]
    gaps = [round(b - a, 3) for a, b in zip([1.0, *times], times, strict=False)]
    assert gaps[:4] == [0.5, 1.0, 2.0, 4.0] and set(gaps[4:]) == {4.0}
    assert [a for _, a in fired[-2:]] == [TimedOut("H"), Terminated()]
    assert fired[-1][0] == 33.0


def test_invite_server_ack_confirms_then_timer_i() -> None:
    invite = _request("INVITE")
    tx = InviteServerTransaction(invite)
    tx.start(0.0)
    nf = make_response(invite, 486, to_tag="s")
    tx.send_response(nf, 0.0)
    assert tx.receive(invite, 0.2) == [Transmit(nf)]
    ack = SipRequest("ACK", invite.uri, invite.headers.set("CSeq", "7 ACK"))
    assert TransactionKey.for_server(ack) == tx.key
    assert tx.receive(ack, 0.3) == []
    assert _state(tx) is TransactionState.CONFIRMED
    assert tx.receive(ack, 0.4) == []
    assert tx.next_deadline() == 5.3
    assert tx.on_timer(5.3) == [Terminated()]


def test_invite_server_2xx_accepted_absorbs_invite_retransmits() -> None:
    invite = _request("INVITE")
    tx = InviteServerTransaction(invite, reliable=True)
    tx.start(0.0)
    ok = make_response(invite, 200, to_tag="s")
    assert tx.send_response(ok, 0.1) == [Transmit(ok)]
    assert tx.receive(invite, 0.2) == []
    assert tx.send_response(ok, 0.6) == [Transmit(ok)]
    assert tx.on_timer(32.1) == [Terminated()]


def test_non_invite_server_retransmits_last_response_then_timer_j() -> None:
    req = _request("MESSAGE")
    tx = NonInviteServerTransaction(req)
    assert tx.start(0.0) == [Deliver(req)]
    assert tx.receive(req, 0.1) == []
    ok = make_response(req, 200, to_tag="s")
    assert tx.send_response(ok, 0.2) == [Transmit(ok)]
    assert tx.receive(req, 0.7) == [Transmit(ok)]
    assert tx.next_deadline() == 32.2
    assert tx.on_timer(32.2) == [Terminated()]
    reliable = NonInviteServerTransaction(req, reliable=True)
    reliable.start(0.0)
    assert reliable.send_response(ok, 0.0) == [Transmit(ok), Terminated()]


def test_illegal_events_raise() -> None:
    req = _request("MESSAGE")
    tx = NonInviteServerTransaction(req)
    tx.start(0.0)
    ok = make_response(req, 200, to_tag="s")
    tx.send_response(ok, 0.0)
    with pytest.raises(SipError) as info:
        tx.send_response(ok, 0.1)
    assert (
        str(info.value) == "non-INVITE server transaction in state completed cannot take send 2xx"
    )
    assert info.value.status_hint == 481
    with pytest.raises(SipError, match="cannot take start"):
        tx.start(1.0)
    with pytest.raises(SipError, match="a server transaction cannot receive a response"):
        tx.receive(ok, 1.0)
    client = NonInviteClientTransaction(req)
    with pytest.raises(
        SipError, match="non-INVITE client transaction in state idle cannot take 2xx"
    ):
        client.receive(ok, 0.0)
    with pytest.raises(SipError, match="an INVITE client transaction cannot send MESSAGE"):
        InviteClientTransaction(req)
    with pytest.raises(SipError, match="a non-INVITE server transaction cannot serve INVITE"):
        NonInviteServerTransaction(_request("INVITE"))


def test_transaction_keys() -> None:
    invite = _request("INVITE")
    server = TransactionKey.for_server(invite)
    assert server == TransactionKey("z9hG4bKtx1", "INVITE", "192.168.1.10:5060")
    cancel = SipRequest("CANCEL", invite.uri, invite.headers.set("CSeq", "7 CANCEL"))
    assert TransactionKey.for_server(cancel) != server
    assert TransactionKey.for_server(cancel).cancelled() == server
    response = make_response(invite, 180, to_tag="x")
    assert TransactionKey.for_client(response) == TransactionKey.for_client(invite)
    assert TransactionKey.for_client(invite) == InviteClientTransaction(invite).key
    assert InviteServerTransaction(invite).key == server
