"""SipRequest/SipResponse values, builders, and the parse(serialise(x)) == x property."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import vigil.protocols.sip as sip
from vigil.protocols.errors import SipError
from vigil.protocols.sip import (
    Headers,
    NameAddr,
    SipRequest,
    SipResponse,
    SipUri,
    Via,
    make_request,
    make_response,
    parse_message,
)
from vigil.protocols.sip.grammar import HEADER_SPECS


def test_public_api_is_exported_explicitly() -> None:
    assert len(set(sip.__all__)) == len(sip.__all__)
    for name in sip.__all__:
        assert hasattr(sip, name), name
    assert {"parse_message", "StreamParser", "SipRequest", "SipResponse"} <= set(sip.__all__)


def _register() -> SipRequest:
    return make_request(
        "REGISTER",
        SipUri.parse("sip:34020000002000000001@3402000000"),
        via=Via("UDP", "192.168.1.64", 5060, "z9hG4bK1", True),
        from_=NameAddr.parse("<sip:34020000001320000001@3402000000>;tag=7"),
        to=NameAddr.parse("<sip:34020000001320000001@3402000000>"),
        call_id="c1",
        cseq=1,
        contact=NameAddr.parse("<sip:34020000001320000001@192.168.1.64:5060>"),
        headers=[("Expires", "3600")],
    )


def test_bytes_always_write_the_true_content_length() -> None:
    req = SipRequest(
        "MESSAGE", "sip:a@b", Headers([("Content-Length", "999"), ("Call-ID", "x")]), b"hello"
    )
    assert "Content-Length" not in req.headers
    data = bytes(req)
    assert data.endswith(b"Call-ID: x\r\nContent-Length: 5\r\n\r\nhello")
    assert data.count(b"Content-Length") == 1


def test_make_request_serialises_the_mandatory_headers() -> None:
    assert bytes(_register()) == (
        b"REGISTER sip:34020000002000000001@3402000000 SIP/2.0\r\n"
        b"Via: SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK1\r\n"
        b"From: <sip:34020000001320000001@3402000000>;tag=7\r\n"
        b"To: <sip:34020000001320000001@3402000000>\r\n"
        b"Call-ID: c1\r\nCSeq: 1 REGISTER\r\nMax-Forwards: 70\r\n"
        b"Contact: <sip:34020000001320000001@192.168.1.64:5060>\r\n"
        b"Expires: 3600\r\nContent-Length: 0\r\n\r\n"
    )


def test_make_response_copies_and_tags() -> None:
    req = _register()
    req = SipRequest(
        req.method,
        req.uri,
        req.headers.prepend("Via", "SIP/2.0/UDP proxy:5060;branch=z9hG4bKp"),
        req.body,
    )
    resp = make_response(req, 200, to_tag="totag", headers=[("Expires", "3600")])
    assert (resp.status, resp.reason) == (200, "OK")
    assert resp.headers.get_all("Via") == req.headers.get_all("Via")
    assert resp.to.tag == "totag" and resp.from_.tag == "7"
    assert resp.call_id == "c1" and resp.cseq == req.cseq
    assert resp.headers.get("Expires") == "3600"
    assert make_response(req, 100).to.tag is None
    assert make_response(req, 401).to.tag is not None
    assert make_response(req, 488, "Not Acceptable Here").reason == "Not Acceptable Here"


def test_make_response_copies_record_route_for_dialog_creating_responses() -> None:
    req = make_request(
        "INVITE",
        "sip:34020000001320000001@192.168.1.64",
        via=Via("UDP", "10.0.0.1", 5060, "z9hG4bKi"),
        from_=NameAddr.parse("<sip:p@d>;tag=a"),
        to=NameAddr.parse("<sip:34020000001320000001@d>"),
        call_id="inv",
        cseq=1,
        headers=[("Record-Route", "<sip:proxy;lr>")],
    )
    assert make_response(req, 200, to_tag="t").headers.get("Record-Route") == "<sip:proxy;lr>"
    assert make_response(req, 486).headers.get("Record-Route") is None


def test_body_needs_content_type_and_invalid_values_are_refused() -> None:
    with pytest.raises(SipError, match="a body needs a Content-Type"):
        make_response(_register(), 200, body=b"x")
    with pytest.raises(SipError, match=r"status 700 is outside 100\.\.699"):
        SipResponse(700, "x", Headers())
    with pytest.raises(SipError, match="reason phrase contains a line break"):
        SipResponse(200, "O\r\nK", Headers())
    with pytest.raises(SipError, match="Request-URI 'sip:a b' is empty or contains whitespace"):
        SipRequest("OPTIONS", "sip:a b", Headers())


def test_missing_header_in_a_view() -> None:
    with pytest.raises(SipError, match="missing Call-ID header"):
        _ = SipRequest("OPTIONS", "sip:a@b", Headers()).call_id


KNOWN = [s.name for s in HEADER_SPECS if s.name != "Content-Length"]
NAME = st.sampled_from(KNOWN) | st.from_regex(r"X-[A-Za-z0-9\-]{1,10}", fullmatch=True)
VALUE = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), max_size=40
).map(str.strip)
EXTRA = st.lists(st.tuples(NAME, VALUE), max_size=8)
METHOD = st.sampled_from(
    [
        "REGISTER",
        "MESSAGE",
        "INVITE",
        "ACK",
        "BYE",
        "CANCEL",
        "INFO",
        "SUBSCRIBE",
        "NOTIFY",
        "OPTIONS",
    ]
)


def _mandatory(method: str, seq: int) -> list[tuple[str, str]]:
    return [
        ("Via", "SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK1"),
        ("From", "<sip:34020000001320000001@3402000000>;tag=1"),
        ("To", "<sip:34020000002000000001@3402000000>"),
        ("Call-ID", "abc@host"),
        ("CSeq", f"{seq} {method}"),
    ]


@given(METHOD, st.integers(0, 2**31 - 1), EXTRA, st.binary(max_size=300))
def test_request_round_trip(
    method: str, seq: int, extra: list[tuple[str, str]], body: bytes
) -> None:
    extra = [(n, v) for n, v in extra if n not in {"CSeq"}]
    req = SipRequest(
        method,
        "sip:34020000001320000001@3402000000",
        Headers(_mandatory(method, seq) + extra),
        body,
    )
    assert parse_message(bytes(req)) == req


@given(st.integers(100, 699), VALUE, EXTRA, st.binary(max_size=300))
def test_response_round_trip(
    status: int, reason: str, extra: list[tuple[str, str]], body: bytes
) -> None:
    resp = SipResponse(status, reason, Headers(_mandatory("INVITE", 1) + extra), body)
    assert parse_message(bytes(resp)) == resp


@given(
    st.lists(st.tuples(METHOD, EXTRA, st.binary(max_size=100)), min_size=1, max_size=5), st.data()
)
def test_stream_round_trip_any_split(
    items: list[tuple[str, list[tuple[str, str]], bytes]], data: st.DataObject
) -> None:
    msgs = [
        SipRequest(
            m, "sip:a@b", Headers(_mandatory(m, 1) + [(n, v) for n, v in e if n != "CSeq"]), b
        )
        for m, e, b in items
    ]
    stream = b"".join(bytes(m) for m in msgs)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=6)))
    parser = sip.StreamParser()
    out = []
    for start, end in zip([0, *cuts], [*cuts, len(stream)], strict=True):
        out += parser.feed(stream[start:end])
    assert out == msgs
