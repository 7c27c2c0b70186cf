"""INVITE dialogs (in-dialog ACK/BYE/INFO) and SUBSCRIBE dialogs (refresh, NOTIFY state)."""

from __future__ import annotations

import pytest

from vigil.protocols.errors import SipError
from vigil.protocols.sip import (
    Dialog,
    DialogId,
    DialogState,
    NameAddr,
    SipRequest,
    Subscription,
    SubscriptionState,
    SubscriptionStateHeader,
    Via,
    make_request,
    make_response,
    parse_message,
)


def _state(thing: Dialog | Subscription) -> DialogState | SubscriptionState:
    """Read the state through a call so that mypy does not keep an earlier narrowing."""
    return thing.state


PLATFORM = "<sip:34020000002000000001@3402000000>"
CAMERA = "<sip:34020000001320000001@3402000000>"


def _invite(record_route: tuple[str, ...] = ()) -> SipRequest:
    return make_request(
        "INVITE",
        "sip:34020000001320000001@192.168.1.64:5060",
        via=Via("UDP", "192.168.1.10", 5060, "z9hG4bKinv", True),
        from_=NameAddr.parse(PLATFORM + ";tag=plat"),
        to=NameAddr.parse(CAMERA),
        call_id="call-9",
        cseq=20,
        contact=NameAddr.parse("<sip:34020000002000000001@192.168.1.10:5060>"),
        headers=[("Record-Route", r) for r in record_route]
        + [("Subject", "34020000001320000001:0100000001,34020000002000000001:0")],
        body=b"v=0\r\n",
        content_type="APPLICATION/SDP",
    )


def _ok(invite: SipRequest, status: int = 200) -> tuple[SipRequest, Dialog]:
    resp = make_response(
        invite,
        status,
        to_tag="cam",
        headers=[("Contact", "<sip:34020000001320000001@192.168.1.64:5060>")],
    )
    return invite, Dialog.from_uac(invite, resp)


def test_uac_dialog_builds_ack_and_bye() -> None:
    _, dialog = _ok(_invite())
    assert _state(dialog) is DialogState.CONFIRMED
    assert dialog.id == DialogId("call-9", "plat", "cam")
    ack = dialog.ack(via=Via("UDP", "192.168.1.10", 5060, "z9hG4bKack", True))
    assert bytes(ack) == (
        b"ACK sip:34020000001320000001@192.168.1.64:5060 SIP/2.0\r\n"
        b"Via: SIP/2.0/UDP 192.168.1.10:5060;rport;branch=z9hG4bKack\r\n"
        b"Max-Forwards: 70\r\n"
        b"From: <sip:34020000002000000001@3402000000>;tag=plat\r\n"
        b"To: <sip:34020000001320000001@3402000000>;tag=cam\r\n"
        b"Call-ID: call-9\r\nCSeq: 20 ACK\r\nContent-Length: 0\r\n\r\n"
    )
    bye = dialog.bye(via=Via("UDP", "192.168.1.10", 5060, "z9hG4bKbye", True))
    assert bytes(bye) == (
        b"BYE sip:34020000001320000001@192.168.1.64:5060 SIP/2.0\r\n"
        b"Via: SIP/2.0/UDP 192.168.1.10:5060;rport;branch=z9hG4bKbye\r\n"
        b"Max-Forwards: 70\r\n"
        b"From: <sip:34020000002000000001@3402000000>;tag=plat\r\n"
        b"To: <sip:34020000001320000001@3402000000>;tag=cam\r\n"
        b"Call-ID: call-9\r\nCSeq: 21 BYE\r\nContent-Length: 0\r\n\r\n"
    )
    assert _state(dialog) is DialogState.TERMINATED
    with pytest.raises(SipError, match="cannot send INFO in a terminated dialog"):
        dialog.request("INFO", via=Via("UDP", "h", None, "z9hG4bKx"))


def test_info_for_playback_control_counts_cseq() -> None:
    _, dialog = _ok(_invite())
    via = Via("UDP", "192.168.1.10", 5060, "z9hG4bKi1")
    body = b"PLAY MANSRTSP/1.0\r\nCSeq: 1\r\nScale: 2.0\r\n"
    info = dialog.request("INFO", via=via, body=body, content_type="Application/MANSRTSP")
    assert info.cseq.seq == 21 and info.body == body
    assert parse_message(bytes(info)) == info
    assert dialog.request("INFO", via=via).cseq.seq == 22


def test_route_set_loose_and_strict() -> None:
    _, loose = _ok(_invite(("<sip:p2.example;lr>", "<sip:p1.example;lr>")))
    assert loose.route_set == ("<sip:p1.example;lr>", "<sip:p2.example;lr>")
    bye = loose.bye(via=Via("UDP", "h", None, "z9hG4bKb"))
    assert bye.uri == "sip:34020000001320000001@192.168.1.64:5060"
    assert bye.headers.get_all("Route") == ("<sip:p1.example;lr>", "<sip:p2.example;lr>")
    _, strict = _ok(_invite(("<sip:strict.example>",)))
    bye = strict.bye(via=Via("UDP", "h", None, "z9hG4bKb"))
    assert bye.uri == "sip:strict.example"
    assert bye.headers.get_all("Route") == ("<sip:34020000001320000001@192.168.1.64:5060>",)


def test_early_dialog_confirms_or_dies() -> None:
    invite = _invite()
    ringing = make_response(invite, 180, to_tag="cam", headers=[("Contact", "<sip:c@1.1.1.1>")])
    dialog = Dialog.from_uac(invite, ringing)
    assert _state(dialog) is DialogState.EARLY
    ok = make_response(invite, 200, to_tag="cam", headers=[("Contact", "<sip:c@2.2.2.2>")])
    dialog.on_response(ok)
    assert _state(dialog) is DialogState.CONFIRMED and dialog.remote_target == "sip:c@2.2.2.2"
    early = Dialog.from_uac(invite, ringing)
    early.on_response(make_response(invite, 486, to_tag="cam"))
    assert _state(early) is DialogState.TERMINATED


def test_uas_dialog_checks_incoming_requests() -> None:
    invite = _invite(("<sip:p1.example;lr>",))
    ok = make_response(invite, 200, to_tag="cam", headers=[("Contact", "<sip:c@1.1.1.1>")])
    dialog = Dialog.from_uas(invite, ok)
    assert dialog.id == DialogId("call-9", "cam", "plat")
    assert dialog.route_set == ("<sip:p1.example;lr>",)
    _, uac = _ok(invite)
    ack = uac.ack(via=Via("UDP", "h", None, "z9hG4bKa"))
    dialog.on_request(ack)
    bye = uac.bye(via=Via("UDP", "h", None, "z9hG4bKb"))
    stale = SipRequest("INFO", bye.uri, bye.headers.set("CSeq", "5 INFO"))
    with pytest.raises(SipError) as info:
        dialog.on_request(stale)
    assert (
        str(info.value) == "CSeq 5 is not above the dialog's 20" and info.value.status_hint == 500
    )
    dialog.on_request(bye)
    assert _state(dialog) is DialogState.TERMINATED
    with pytest.raises(SipError, match="request does not match the dialog") as info:
        dialog.on_request(bye)
    assert info.value.status_hint == 481
    with pytest.raises(SipError, match="request From has no tag, so no dialog can be formed"):
        Dialog.from_uas(SipRequest("INVITE", invite.uri, invite.headers.set("From", CAMERA)), ok)


SUB_BODY = b'<?xml version="1.0"?><Query><CmdType>Catalog</CmdType><SN>1</SN></Query>'


def _subscribe() -> SipRequest:
    return make_request(
        "SUBSCRIBE",
        "sip:34020000001320000001@192.168.1.64:5060",
        via=Via("UDP", "192.168.1.10", 5060, "z9hG4bKsub"),
        from_=NameAddr.parse(PLATFORM + ";tag=plat"),
        to=NameAddr.parse(CAMERA),
        call_id="sub-1",
        cseq=1,
        contact=NameAddr.parse("<sip:34020000002000000001@192.168.1.10:5060>"),
        headers=[("Event", "Catalog;id=42"), ("Expires", "3600")],
        body=SUB_BODY,
        content_type="Application/MANSCDP+xml",
    )


def test_subscription_state_header_codec() -> None:
    h = SubscriptionStateHeader.parse("active;expires=600;retry-after=5")
    assert h == SubscriptionStateHeader(
        SubscriptionState.ACTIVE, 600, None, (("retry-after", "5"),)
    )
    assert str(h) == "active;expires=600;retry-after=5"
    assert SubscriptionStateHeader.parse("terminated;reason=timeout").reason == "timeout"
    with pytest.raises(SipError, match="Subscription-State 'gone' is not a known state"):
        SubscriptionStateHeader.parse("gone")


def test_subscriber_and_notifier_back_to_back() -> None:
    sub_req = _subscribe()
    ok = make_response(
        sub_req,
        200,
        to_tag="cam",
        headers=[("Contact", "<sip:c@192.168.1.64:5060>"), ("Expires", "600")],
    )
    subscriber = Subscription.subscriber(sub_req, ok, now=1000.0)
    notifier = Subscription.notifier(sub_req, ok, now=1000.0)
    assert _state(subscriber) is SubscriptionState.ACTIVE and subscriber.param("id") == "42"
    assert subscriber.expires_at == 1600.0 and subscriber.refresh_at == 1568.0

    notify = notifier.notify(
        via=Via("UDP", "192.168.1.64", 5060, "z9hG4bKn1"),
        now=1100.0,
        body=b"<Notify/>",
        content_type="Application/MANSCDP+xml",
    )
    assert notify.headers.get("Subscription-State") == "active;expires=500"
    assert notify.headers.get("Event") == "Catalog;id=42"
    received = parse_message(bytes(notify))
    assert isinstance(received, SipRequest)
    header = subscriber.on_notify(received, now=1100.0)
    assert header.expires == 500 and subscriber.expires_at == 1600.0

    refresh = subscriber.refresh(via=Via("UDP", "192.168.1.10", 5060, "z9hG4bKr"), expires=600)
    assert refresh.cseq.seq == 2 and refresh.headers.get("Expires") == "600"
    assert notifier.on_subscribe(refresh, now=1500.0) == 600
    assert notifier.expires_at == 2100.0
    subscriber.on_refresh_response(
        make_response(refresh, 200, headers=[("Expires", "300")]), 1500.0
    )
    assert subscriber.expires_at == 1800.0 and subscriber.refresh_at == 1768.0

    final = notifier.notify(via=Via("UDP", "h", None, "z9hG4bKn2"), now=2200.0)
    assert final.headers.get("Subscription-State") == "terminated;reason=timeout"
    assert _state(notifier) is SubscriptionState.TERMINATED
    subscriber.on_notify(final, now=2200.0)
    assert _state(subscriber) is SubscriptionState.TERMINATED
    assert _state(subscriber.dialog) is DialogState.TERMINATED


def test_subscription_errors() -> None:
    sub_req = _subscribe()
    with pytest.raises(SipError, match="a 403 response does not create a subscription"):
        Subscription.subscriber(sub_req, make_response(sub_req, 403), now=0.0)
    ok = make_response(sub_req, 202, to_tag="cam", headers=[("Contact", "<sip:c@h>")])
    pending = Subscription.subscriber(sub_req, ok, now=0.0)
    assert _state(pending) is SubscriptionState.PENDING and pending.expires_at == 3600.0
    no_event = SipRequest("SUBSCRIBE", sub_req.uri, sub_req.headers.remove("Event"))
    with pytest.raises(SipError, match="SUBSCRIBE without Event") as info:
        Subscription.notifier(no_event, ok, now=0.0)
    assert info.value.status_hint == 489
