"""parse_message and StreamParser: golden GB/T 28181 traffic, tolerance, bounds, exact errors."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from vigil.protocols.errors import SipError
from vigil.protocols.sip import (
    MAX_HEADERS,
    MAX_MESSAGE_SIZE,
    CSeq,
    SipRequest,
    SipResponse,
    StreamParser,
    SubscriptionStateHeader,
    Via,
    is_keepalive,
    parse_message,
)


def crlf(text: str, body: bytes = b"") -> bytes:
    """Golden messages are written with \\n for readability and sent with CRLF."""
    return text.replace("\n", "\r\n").encode() + body


REGISTER_AUTH = crlf(
    "REGISTER sip:34020000002000000001@3402000000 SIP/2.0\n"
    "Via: SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK1618407891\n"
    "From: <sip:34020000001320000001@3402000000>;tag=1873290016\n"
    "To: <sip:34020000001320000001@3402000000>\n"
    "Call-ID: 1929467587\n"
    "CSeq: 2 REGISTER\n"
    "Contact: <sip:34020000001320000001@192.168.1.64:5060>\n"
    'Authorization: Digest username="34020000001320000001", realm="3402000000", '
    'nonce="44010b73623249f6916a6acf7c316b8e", uri="sip:34020000002000000001@3402000000", '
    'response="0b7a1b5b7d9bd2a1d9a1f4a5e4b3c2d1", algorithm=MD5\n'
    "Max-Forwards: 70\n"
    "User-Agent: IP Camera\n"
    "Expires: 3600\n"
    "Content-Length: 0\n"
    "\n"
)

KEEPALIVE_BODY = (
    b'<?xml version="1.0" encoding="GB2312"?>\r\n<Notify>\r\n<CmdType>Keepalive</CmdType>\r\n'
    b"<SN>43</SN>\r\n<DeviceID>34020000001320000001</DeviceID>\r\n<Status>OK</Status>\r\n"
    b"</Notify>\r\n"
)
KEEPALIVE = crlf(
    "MESSAGE sip:34020000002000000001@3402000000 SIP/2.0\n"
    "Via: SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK1427617402\n"
    "From: <sip:34020000001320000001@3402000000>;tag=1506394713\n"
    "To: <sip:34020000002000000001@3402000000>\n"
    "Call-ID: 1356520213\n"
    "CSeq: 20 MESSAGE\n"
    "Content-Type: Application/MANSCDP+xml\n"
    "Max-Forwards: 70\n"
    "User-Agent: IP Camera\n"
    f"Content-Length: {len(KEEPALIVE_BODY)}\n"
    "\n",
    KEEPALIVE_BODY,
)

CATALOG_BODY = (
    '<?xml version="1.0" encoding="GB2312"?>\n<Response>\n<CmdType>Catalog</CmdType>\n'
    "<SN>7</SN>\n<DeviceID>34020000001320000001</DeviceID>\n<SumNum>1</SumNum>\n"
    '<DeviceList Num="1">\n<Item>\n<DeviceID>34020000001310000001</DeviceID>\n'
    "<Name>大门摄像机</Name>\n</Item>\n</DeviceList>\n</Response>\n"
).encode("gb2312")

SDP = (
    b"v=0\r\no=34020000002000000001 0 0 IN IP4 192.168.1.10\r\ns=Play\r\n"
    b"c=IN IP4 192.168.1.10\r\nt=0 0\r\nm=video 30000 RTP/AVP 96 98 97\r\na=recvonly\r\n"
    b"a=rtpmap:96 PS/90000\r\na=rtpmap:98 H264/90000\r\na=rtpmap:97 MPEG4/90000\r\n"
    b"y=0100000001\r\n"
)
INVITE = crlf(
    "INVITE sip:34020000001320000001@192.168.1.64:5060 SIP/2.0\n"
    "Via: SIP/2.0/UDP 192.168.1.10:5060;rport;branch=z9hG4bK3a5c7e9\n"
    "From: <sip:34020000002000000001@3402000000>;tag=491735\n"
    "To: <sip:34020000001320000001@3402000000>\n"
    "Call-ID: 76a1c2b0f3@192.168.1.10\n"
    "CSeq: 1 INVITE\n"
    "Contact: <sip:34020000002000000001@192.168.1.10:5060>\n"
    "Content-Type: APPLICATION/SDP\n"
    "Max-Forwards: 70\n"
    "Subject: 34020000001320000001:0100000001,34020000002000000001:0\n"
    f"Content-Length: {len(SDP)}\n"
    "\n",
    SDP,
)

RESPONSE_MULTI_VIA = crlf(
    "SIP/2.0 200 OK\n"
    "Via: SIP/2.0/UDP 10.0.0.1:5060;rport=5070;received=203.0.113.9;branch=z9hG4bKa1, "
    "SIP/2.0/UDP 10.0.0.2;branch=z9hG4bKb2\n"
    "Via: SIP/2.0/TCP 10.0.0.3:5061;branch=z9hG4bKc3\n"
    "From: <sip:34020000001320000001@3402000000>;tag=1873290016\n"
    "To: <sip:34020000001320000001@3402000000>;tag=ab12\n"
    "Call-ID: 1929467587\n"
    "CSeq: 2 REGISTER\n"
    "Date: 2024-05-01T10:20:30.123\n"
    "Expires: 3600\n"
    "Content-Length: 0\n"
    "\n"
)


def test_register_with_authorization() -> None:
    msg = parse_message(REGISTER_AUTH)
    assert isinstance(msg, SipRequest)
    assert msg.method == "REGISTER"
    assert msg.request_uri.user == "34020000002000000001"
    assert msg.call_id == "1929467587"
    assert msg.cseq == CSeq(2, "REGISTER")
    assert msg.from_.tag == "1873290016" and msg.to.tag is None
    assert msg.branch == "z9hG4bK1618407891"
    assert msg.via[0].rport is True
    assert msg.contact is not None and msg.contact.uri.port == 5060
    assert msg.headers.get("Authorization", "").startswith("Digest username=")
    assert msg.body == b""
    assert bytes(msg) == REGISTER_AUTH


def test_keepalive_message_with_manscdp_body() -> None:
    msg = parse_message(KEEPALIVE)
    assert isinstance(msg, SipRequest)
    assert msg.content_type == "Application/MANSCDP+xml"
    assert msg.body == KEEPALIVE_BODY
    assert bytes(msg) == KEEPALIVE


def test_gb2312_body_bytes_pass_through_untouched() -> None:
    text = (
        KEEPALIVE.split(b"\r\n\r\n")[0]
        .decode()
        .replace(f"Content-Length: {len(KEEPALIVE_BODY)}", f"Content-Length: {len(CATALOG_BODY)}")
    )
    msg = parse_message(text.encode() + b"\r\n\r\n" + CATALOG_BODY)
    assert msg.body == CATALOG_BODY
    assert "大门摄像机" in msg.body.decode("gb18030")


def test_gb2312_bytes_in_a_header_survive_a_round_trip() -> None:
    raw = KEEPALIVE.replace(b"User-Agent: IP Camera", b"User-Agent: " + "海康".encode("gb2312"))
    msg = parse_message(raw)
    assert bytes(msg) == raw


def test_invite_with_sdp_and_subject() -> None:
    msg = parse_message(INVITE)
    assert isinstance(msg, SipRequest)
    assert msg.headers.get("Subject") == "34020000001320000001:0100000001,34020000002000000001:0"
    assert msg.content_type == "APPLICATION/SDP"
    assert msg.body == SDP
    assert bytes(msg) == INVITE


def test_response_with_multiple_via_and_rport_received() -> None:
    msg = parse_message(RESPONSE_MULTI_VIA)
    assert isinstance(msg, SipResponse)
    assert (msg.status, msg.reason) == (200, "OK")
    vias = msg.via
    assert [v.host for v in vias] == ["10.0.0.1", "10.0.0.2", "10.0.0.3"]
    assert vias[0].rport == 5070 and vias[0].received == "203.0.113.9"
    assert vias[2] == Via("TCP", "10.0.0.3", 5061, "z9hG4bKc3")
    assert msg.branch == "z9hG4bKa1"
    assert msg.to.tag == "ab12"


def test_compact_forms() -> None:
    raw = (
        b"MESSAGE sip:34020000002000000001@3402000000 SIP/2.0\r\n"
        b"v: SIP/2.0/UDP 192.168.1.64:5060;branch=z9hG4bK9\r\n"
        b"f: <sip:34020000001320000001@3402000000>;tag=1\r\n"
        b"t: <sip:34020000002000000001@3402000000>\r\n"
        b"i: abc\r\nCSeq: 3 MESSAGE\r\nm: <sip:34020000001320000001@192.168.1.64>\r\n"
        b"c: Application/MANSCDP+xml\r\ns: hi\r\nk: timer\r\no: Catalog\r\nu: presence\r\n"
        b"e: gzip\r\nl: 5\r\n\r\nhello"
    )
    msg = parse_message(raw)
    assert [name for name, _ in msg.headers] == [
        "Via",
        "From",
        "To",
        "Call-ID",
        "CSeq",
        "Contact",
        "Content-Type",
        "Subject",
        "Supported",
        "Event",
        "Allow-Events",
        "Content-Encoding",
    ]
    assert msg.call_id == "abc" and msg.body == b"hello"
    assert b"Call-ID: abc\r\n" in bytes(msg)


def test_folding_bare_lf_keepalive_prefix_and_space_before_colon() -> None:
    raw = (
        b"\r\n\r\nOPTIONS sip:a@b SIP/2.0\n"
        b"Via: SIP/2.0/UDP h;branch=z9hG4bK1\n"
        b"From: <sip:x@y>;tag=1\nTo: <sip:a@b>\nCall-ID: c\nCSeq : 1 OPTIONS\n"
        b"Subject: first\n  second\n\tthird\n \nX-Empty:\n \tlater\n\n"
    )
    msg = parse_message(raw)
    assert msg.headers.get("Subject") == "first second third"
    assert msg.headers.get("X-Empty") == "later"
    assert parse_message(bytes(msg)) == msg
    assert msg.cseq == CSeq(1, "OPTIONS")


def test_content_length_truncates_longer_body_and_is_optional_on_udp() -> None:
    msg = parse_message(KEEPALIVE + b"trailing junk")
    assert msg.body == KEEPALIVE_BODY
    no_length = KEEPALIVE.replace(f"Content-Length: {len(KEEPALIVE_BODY)}\r\n".encode(), b"")
    assert parse_message(no_length).body == KEEPALIVE_BODY


def test_is_keepalive() -> None:
    assert is_keepalive(b"\r\n\r\n") and is_keepalive(b"\r\n")
    assert not is_keepalive(KEEPALIVE)


HEAD = "Via: SIP/2.0/UDP h;branch=z9hG4bK1\nFrom: <sip:x@y>;tag=1\nTo: <sip:a@b>\nCall-ID: c\n"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\r\n\r\n", "datagram holds only CRLF keep-alives"),
        (b"OPTIONS sip:a@b SIP/2.0\r\nVia: x\r\n", "no empty line ends the header section"),
        (
            crlf("OPTIONS sip:a@b\n" + HEAD + "CSeq: 1 OPTIONS\n\n"),
            "request line 'OPTIONS sip:a@b' is not 'METHOD Request-URI SIP/2.0'",
        ),
        (
            crlf("OPTIONS sip:a@b SIP/3.0\n" + HEAD + "CSeq: 1 OPTIONS\n\n"),
            "unsupported version 'SIP/3.0'",
        ),
        (
            crlf("OPT/IONS sip:a@b SIP/2.0\n" + HEAD + "CSeq: 1 OPT/IONS\n\n"),
            "method 'OPT/IONS' is not a token",
        ),
        (
            crlf("SIP/2.0 2000 OK\n" + HEAD + "CSeq: 1 OPTIONS\n\n"),
            "status code '2000' is not three digits",
        ),
        (
            crlf("SIP/2.0 099 Early\n" + HEAD + "CSeq: 1 OPTIONS\n\n"),
            "status 99 is outside 100..699",
        ),
        (crlf("OPTIONS sip:a@b SIP/2.0\n" + HEAD + "\n"), "missing CSeq header"),
        (
            crlf("OPTIONS sip:a@b SIP/2.0\n" + HEAD + "CSeq: 1 INVITE\n\n"),
            "CSeq method 'INVITE' does not match request method 'OPTIONS'",
        ),
        (
            crlf("OPTIONS sip:a@b SIP/2.0\n" + HEAD + "CSeq: x OPTIONS\n\n"),
            "CSeq number 'x' is not an integer below 2**31",
        ),
        (
            crlf("OPTIONS sip:a@b SIP/2.0\n" + HEAD + "CSeq: 1 OPTIONS\nNoColon\n\n"),
            "header line 'NoColon' has no colon",
        ),
        (
            crlf("OPTIONS sip:a@b SIP/2.0\n" + HEAD + "CSeq: 1 OPTIONS\nBad Name: 1\n\n"),
            "header name 'Bad Name' is not a token",
        ),
        (
            crlf("OPTIONS sip:a@b SIP/2.0\n continued\n" + HEAD + "CSeq: 1 OPTIONS\n\n"),
            "continuation line before the first header",
        ),
        (
            crlf("OPTIONS sip:a@b SIP/2.0\n" + HEAD + "CSeq: 1 OPTIONS\nContent-Length: -1\n\n"),
            "Content-Length '-1' is not a non-negative integer",
        ),
        (
            crlf("OPTIONS sip:a@b SIP/2.0\n" + HEAD + "CSeq: 1 OPTIONS\nl: 1\nl: 2\n\n", b"ab"),
            "conflicting Content-Length values 1 and 2",
        ),
        (
            crlf("OPTIONS sip:a@b SIP/2.0\n" + HEAD + "CSeq: 1 OPTIONS\nl: 10\n\n", b"short"),
            "Content-Length 10 exceeds the 5 body bytes received",
        ),
        (b"OPTIONS sip:a@b SIP/2.0\r\nVia: a\rb\r\n\r\n", "bare CR inside the header section"),
        (
            crlf(
                "MESSAGE sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nFrom: <sip:x@y\n"
                "To: <sip:a@b>\nCall-ID: c\nCSeq: 1 MESSAGE\n\n"
            ),
            "'<' without '>' in '<sip:x@y'",
        ),
        (
            crlf(
                "MESSAGE sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\n"
                "From: <sip:x@y>;tag=1\nTo: <sip:a@b> 0\nCall-ID: c\nCSeq: 1 MESSAGE\n\n"
            ),
            "junk after '>' in '<sip:a@b> 0'",
        ),
        (
            crlf(
                "OPTIONS sip:a@b SIP/2.0\n"
                + HEAD
                + "CSeq: 1 OPTIONS\nX-Long: "
                + "a" * 9000
                + "\n\n"
            ),
            "header line longer than 8192 characters",
        ),
    ],
)
def test_errors_are_exact(raw: bytes, message: str) -> None:
    with pytest.raises(SipError) as info:
        parse_message(raw)
    assert str(info.value) == message
    assert info.value.status_hint == 400


def test_oversized_message_is_413() -> None:
    with pytest.raises(SipError) as info:
        parse_message(b"x" * (MAX_MESSAGE_SIZE + 1))
    assert info.value.status_hint == 413
    assert str(info.value) == f"message of {MAX_MESSAGE_SIZE + 1} bytes exceeds {MAX_MESSAGE_SIZE}"


def test_too_many_headers() -> None:
    extra = "".join(f"X-H{i}: {i}\n" for i in range(MAX_HEADERS))
    with pytest.raises(SipError, match=f"more than {MAX_HEADERS} header lines"):
        parse_message(crlf("OPTIONS sip:a@b SIP/2.0\n" + HEAD + "CSeq: 1 OPTIONS\n" + extra + "\n"))


def test_stream_parser_frames_by_content_length_byte_by_byte() -> None:
    stream = b"\r\n\r\n" + REGISTER_AUTH + b"\r\n" + KEEPALIVE + INVITE
    parser = StreamParser()
    out = []
    for i in range(len(stream)):
        out += parser.feed(stream[i : i + 1])
    assert [m.method for m in out if isinstance(m, SipRequest)] == ["REGISTER", "MESSAGE", "INVITE"]
    assert out[1].body == KEEPALIVE_BODY and out[2].body == SDP
    assert parser.buffered == 0


def test_stream_parser_many_messages_in_one_chunk() -> None:
    parser = StreamParser()
    assert len(parser.feed(KEEPALIVE * 50)) == 50


def test_stream_parser_requires_content_length_and_stays_failed() -> None:
    no_length = REGISTER_AUTH.replace(b"Content-Length: 0\r\n", b"")
    parser = StreamParser()
    with pytest.raises(SipError, match="missing Content-Length on a stream transport"):
        parser.feed(no_length)
    with pytest.raises(SipError, match="missing Content-Length on a stream transport"):
        parser.feed(KEEPALIVE)


def test_stream_parser_returns_good_messages_before_raising() -> None:
    parser = StreamParser()
    assert len(parser.feed(KEEPALIVE + b"garbage line\r\n\r\n")) == 1
    with pytest.raises(SipError, match="missing Content-Length on a stream transport"):
        parser.feed(b"")


def test_stream_parser_bounds_its_buffer() -> None:
    parser = StreamParser(max_message_size=1024)
    with pytest.raises(SipError) as info:
        parser.feed(b"OPTIONS sip:a@b SIP/2.0\r\nX: " + b"a" * 2000)
    assert info.value.status_hint == 413
    big = KEEPALIVE.replace(
        f"Content-Length: {len(KEEPALIVE_BODY)}".encode(), b"Content-Length: 100000"
    )
    with pytest.raises(SipError, match=r"message of \d+ bytes exceeds 1024"):
        StreamParser(max_message_size=1024).feed(big)


LONG = "1" * 5000  # past the 4,300 digits int() converts: a ValueError unless the parser bounds it
OPTIONS = "OPTIONS sip:a@b SIP/2.0\n" + HEAD


@pytest.mark.parametrize(
    "parse",
    [
        lambda: parse_message(crlf(f"{OPTIONS}CSeq: {LONG} OPTIONS\n\n")),
        lambda: parse_message(crlf(f"{OPTIONS}CSeq: 1 OPTIONS\nContent-Length: {LONG}\n\n")),
        lambda: Via.parse(f"SIP/2.0/UDP h:{LONG};branch=z9hG4bK1"),
        lambda: Via.parse(f"SIP/2.0/UDP h;branch=z9hG4bK1;rport={LONG}"),
        lambda: SubscriptionStateHeader.parse(f"active;expires={LONG}"),
    ],
    ids=["cseq", "content-length", "port", "rport", "expires"],
)
def test_overlong_numbers_are_sip_errors(parse: Callable[[], object]) -> None:
    with pytest.raises(SipError):
        parse()
