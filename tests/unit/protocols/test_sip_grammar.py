"""Header table, Headers multi-map and the typed header views (Via, NameAddr, CSeq, SipUri)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vigil.protocols.errors import SipError
from vigil.protocols.sip import CSeq, Headers, NameAddr, SipUri, Via
from vigil.protocols.sip.grammar import canonical_name, split_comma_list, unquote

COMPACT = {
    "i": "Call-ID",
    "m": "Contact",
    "e": "Content-Encoding",
    "l": "Content-Length",
    "c": "Content-Type",
    "f": "From",
    "s": "Subject",
    "k": "Supported",
    "t": "To",
    "v": "Via",
    "o": "Event",
    "u": "Allow-Events",
}


@pytest.mark.parametrize(("compact", "full"), COMPACT.items())
def test_compact_forms_expand(compact: str, full: str) -> None:
    assert canonical_name(compact) == full
    assert canonical_name(compact.upper()) == full


def test_canonical_name_keeps_unknown_names() -> None:
    assert canonical_name("call-id") == "Call-ID"
    assert canonical_name("x-gb-ver") == "X-GB-Ver"
    assert canonical_name("X-Custom") == "X-Custom"


def test_headers_case_insensitive_ordered_multi_value() -> None:
    h = Headers([("v", "SIP/2.0/UDP a;branch=z9hG4bK1"), ("VIA", "SIP/2.0/UDP b"), ("i", "x")])
    assert list(h) == [
        ("Via", "SIP/2.0/UDP a;branch=z9hG4bK1"),
        ("Via", "SIP/2.0/UDP b"),
        ("Call-ID", "x"),
    ]
    assert h.get("via") == "SIP/2.0/UDP a;branch=z9hG4bK1"
    assert h.get_all("Via") == ("SIP/2.0/UDP a;branch=z9hG4bK1", "SIP/2.0/UDP b")
    assert "call-id" in h and "i" in h and "Expires" not in h
    assert h.get("Expires") is None
    assert len(h) == 3


def test_headers_are_immutable_values() -> None:
    h = Headers([("Expires", "3600"), ("X-A", "1"), ("Expires", "60")])
    assert list(h.set("expires", "0")) == [("Expires", "0"), ("X-A", "1")]
    assert list(h.remove("EXPIRES")) == [("X-A", "1")]
    assert list(h.add("X-B", "2"))[-1] == ("X-B", "2")
    assert next(iter(h.prepend("Via", "SIP/2.0/UDP p"))) == ("Via", "SIP/2.0/UDP p")
    assert list(h) == [("Expires", "3600"), ("X-A", "1"), ("Expires", "60")]
    assert Headers([("call-id", "a")]) == Headers([("i", "a")])
    assert hash(Headers([("call-id", "a")])) == hash(Headers([("Call-ID", "a")]))


def test_headers_reject_bad_names_and_values() -> None:
    with pytest.raises(SipError, match="header name 'Bad Name' is not a token"):
        Headers([("Bad Name", "x")])
    with pytest.raises(SipError, match="header X-A value contains a line break"):
        Headers([("X-A", "a\r\nInjected: 1")])


def test_comma_lists_respect_quotes_and_angles() -> None:
    assert split_comma_list("a, b ,c") == ["a", "b", "c"]
    assert split_comma_list('"Doe, John" <sip:a@b>, <sip:c@d;x=1,2>') == [
        '"Doe, John" <sip:a@b>',
        "<sip:c@d;x=1,2>",
    ]
    h = Headers([("Via", "SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/UDP b"), ("Via", "SIP/2.0/TCP c")])
    assert len(h.get_list("Via")) == 3


def test_via_gb28181_device_form() -> None:
    via = Via.parse("SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK1371463273")
    assert via == Via("UDP", "192.168.1.64", 5060, "z9hG4bK1371463273", True, None, ())
    assert via.sent_by == "192.168.1.64:5060"
    assert via.is_rfc3261_branch
    assert str(via) == "SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK1371463273"


def test_via_rport_value_received_and_other_params() -> None:
    via = Via.parse(
        "SIP / 2.0 / tcp [2001:db8::1]:5061 ;received=1.2.3.4;rport=6000;ttl=2;branch=z9hG4bKx"
    )
    assert via.transport == "TCP"
    assert via.host == "[2001:db8::1]" and via.port == 5061
    assert via.rport == 6000 and via.received == "1.2.3.4"
    assert via.params == (("ttl", "2"),)
    assert Via.parse(str(via)) == via
    assert Via.parse("SIP/2.0/TLS example.com").sent_by == "example.com:5061"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SIP/3.0/UDP a", "Via 'SIP/3.0/UDP a' does not start with SIP/2.0/<transport>"),
        ("SIP/2.0/UDP", "Via 'SIP/2.0/UDP' has no transport token"),
        ("SIP/2.0/UDP a:99999", "port '99999' is not a number in 0..65535"),
        ("SIP/2.0/UDP a;rport=x", "Via rport 'x' is not a port number"),
        ("SIP/2.0/UDP :5060", "empty host in ':5060'"),
    ],
)
def test_via_errors(text: str, message: str) -> None:
    with pytest.raises(SipError) as info:
        Via.parse(text)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("text", "display", "uri", "tag"),
    [
        (
            "<sip:34020000001320000001@3402000000>;tag=2043466181",
            None,
            "sip:34020000001320000001@3402000000",
            "2043466181",
        ),
        (
            '"Camera \\"1\\"" <sip:a@b:5060;transport=udp>;tag=x',
            'Camera "1"',
            "sip:a@b:5060;transport=udp",
            "x",
        ),
        ("Bob <sips:bob@biloxi.example.com>", "Bob", "sips:bob@biloxi.example.com", None),
        (
            "sip:alice@atlanta.example.com;tag=88sja8x",
            None,
            "sip:alice@atlanta.example.com",
            "88sja8x",
        ),
    ],
)
def test_name_addr_forms(text: str, display: str | None, uri: str, tag: str | None) -> None:
    addr = NameAddr.parse(text)
    assert addr.display_name == display
    assert str(addr.uri) == uri
    assert addr.tag == tag
    assert NameAddr.parse(str(addr)) == addr


def test_name_addr_with_tag_and_errors() -> None:
    addr = NameAddr.parse("<sip:a@b>;tag=1;expires=60")
    assert addr.param("expires") == "60"
    assert addr.with_tag("2").tag == "2"
    assert str(addr.with_tag("2")) == "<sip:a@b>;expires=60;tag=2"
    for text, message in [
        ("<sip:a@b", "'<' without '>' in '<sip:a@b'"),
        ('"x <sip:a@b>', "unterminated display name in '\"x <sip:a@b>'"),
        ("*", "wildcard Contact '*' is not a name-addr"),
        ("<http://a>", "URI 'http://a' is not a sip: or sips: URI"),
        ("<sip:a@b> junk", "junk after '>' in '<sip:a@b> junk'"),
    ]:
        with pytest.raises(SipError) as info:
            NameAddr.parse(text)
        assert str(info.value) == message


def test_sip_uri_parts() -> None:
    uri = SipUri.parse("sip:34020000001320000001@192.168.1.64:5060;transport=tcp;lr?subject=x")
    assert uri.user == "34020000001320000001"
    assert uri.host == "192.168.1.64" and uri.port == 5060
    assert uri.param("transport") == "tcp" and uri.has_param("lr") and uri.param("lr") is None
    assert uri.headers == "subject=x"
    assert str(uri) == "sip:34020000001320000001@192.168.1.64:5060;transport=tcp;lr?subject=x"
    assert SipUri.parse("SIP:3402000000").user is None
    with pytest.raises(SipError, match="URI 'sip:@h' has an empty user part"):
        SipUri.parse("sip:@h")


def test_cseq() -> None:
    assert CSeq.parse("20 REGISTER") == CSeq(20, "REGISTER")
    assert str(CSeq(1, "INVITE")) == "1 INVITE"
    with pytest.raises(SipError, match=r"CSeq number '2147483648' is not an integer below 2\*\*31"):
        CSeq.parse("2147483648 INVITE")
    with pytest.raises(SipError, match="CSeq method '' is not a token"):
        CSeq.parse("1")


def test_unquote_escapes() -> None:
    assert unquote('"a\\"b\\\\c"') == 'a"b\\c'
    assert unquote("plain") == "plain"


TOKEN = st.text("abcdefghijklmnopqrstuvwxyz0123456789-.!%*_+`'~", min_size=1, max_size=12)
HOST = st.one_of(
    st.from_regex(r"[a-z][a-z0-9\-]{0,10}(\.[a-z0-9]{1,6}){0,3}", fullmatch=True),
    st.ip_addresses(v=4).map(str),
    st.ip_addresses(v=6).map(lambda ip: f"[{ip}]"),
)
PORT = st.none() | st.integers(0, 65535)
PARAMS = st.lists(st.tuples(TOKEN, st.none() | TOKEN), max_size=3).map(
    lambda ps: tuple(
        (k, v) for k, v in ps if k.lower() not in {"branch", "rport", "received", "tag"}
    )
)
URI = st.builds(
    SipUri,
    host=HOST,
    user=st.none() | st.from_regex(r"[0-9]{20}|[a-z][a-z0-9.]{0,10}", fullmatch=True),
    port=PORT,
    params=PARAMS,
    scheme=st.sampled_from(["sip", "sips"]),
    headers=st.sampled_from(["", "a=b", "subject=x&y=z"]),
)


@given(URI)
def test_uri_round_trip(uri: SipUri) -> None:
    assert SipUri.parse(str(uri)) == uri


@given(
    st.builds(
        Via,
        transport=st.sampled_from(["UDP", "TCP", "TLS"]),
        host=HOST,
        port=PORT,
        branch=st.none() | TOKEN.map(lambda t: "z9hG4bK" + t),
        rport=st.none() | st.just(True) | st.integers(0, 65535),
        received=st.none() | st.ip_addresses(v=4).map(str),
        params=PARAMS,
    )
)
def test_via_round_trip(via: Via) -> None:
    assert Via.parse(str(via)) == via


@given(
    st.builds(
        NameAddr,
        uri=URI,
        display_name=st.none()
        | st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=12),
        params=PARAMS,
    ),
    st.none() | TOKEN,
)
def test_name_addr_round_trip(addr: NameAddr, tag: str | None) -> None:
    if tag is not None:
        addr = addr.with_tag(tag)
    assert NameAddr.parse(str(addr)) == addr
