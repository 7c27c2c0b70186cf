"""SDP with GB/T 28181 extensions: golden device bodies, exact errors, offers, round trips."""

from __future__ import annotations

import string
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vigil.protocols.errors import SdpError
from vigil.protocols.sdp import (
    Attribute,
    AudioFormat,
    Connection,
    Line,
    MediaDescription,
    MediaFormat,
    Origin,
    RtpMap,
    SessionDescription,
    SessionKind,
    Ssrc,
    Timing,
    Transport,
    VideoFormat,
    build_offer,
    make_ssrc,
    parse_sdp,
    parse_ssrc,
    read_answer,
)

# A real IPC's answer to a live INVITE (as given in the brief), with bare LF.
DEVICE_ANSWER = (
    "v=0\n"
    "o=34020000001320000001 0 0 IN IP4 192.168.1.64\n"
    "s=Play\n"
    "c=IN IP4 192.168.1.64\n"
    "t=0 0\n"
    "m=video 15060 RTP/AVP 96\n"
    "a=sendonly\n"
    "a=rtpmap:96 PS/90000\n"
    "y=0100000001\n"
    "f=\n"
)

# NVR answering a TCP playback: y= before m=, trailing spaces, no t=, vendor lines and attributes.
NVR_TCP_ANSWER = (
    b"v=0\r\n"
    b"o=34020000001110000001 0 0 IN IP4 10.1.1.20 \r\n"
    b"s=Playback\r\n"
    b"i=HIK NVR\r\n"
    b"c=IN IP4 10.1.1.20\r\n"
    b"y=1000000002\r\n"
    b"m=video 40000 TCP/RTP/AVP 96\r\n"
    b"b=AS:4096\r\n"
    b"a=sendonly\r\n"
    b"a=rtpmap:96 PS/90000\r\n"
    b"a=setup:active\r\n"
    b"a=connection:new\r\n"
    b"a=streamMode:MAIN\r\n"
    b"a=filesize:1048576\r\n"
    b"x=vendor-extension\r\n"
    b"f=v/2/5/25/1/4096a/1/8/1\r\n"
)


def test_golden_device_answer_parses() -> None:
    sdp = parse_sdp(DEVICE_ANSWER.encode())
    assert sdp.origin == Origin("34020000001320000001", "0", "0", "192.168.1.64")
    assert sdp.kind is SessionKind.PLAY
    assert sdp.connection == Connection("192.168.1.64")
    assert sdp.timing == Timing(0, 0)
    assert sdp.ssrc == "0100000001"
    assert sdp.media_format == MediaFormat()
    (video,) = sdp.media
    assert (video.media, video.port, video.proto, video.formats) == (
        "video",
        15060,
        "RTP/AVP",
        ("96",),
    )
    assert video.direction == "sendonly"
    assert video.rtpmaps == (RtpMap(96, "PS", 90000),)


def test_golden_device_answer_serialises_to_crlf_form() -> None:
    assert bytes(parse_sdp(DEVICE_ANSWER)) == DEVICE_ANSWER.replace("\n", "\r\n").encode()


def test_golden_device_answer_reads_as_udp_answer() -> None:
    answer = read_answer(parse_sdp(DEVICE_ANSWER))
    assert (answer.address, answer.port, answer.transport) == ("192.168.1.64", 15060, "udp")
    assert answer.ssrc == "0100000001"
    assert answer.setup is None


def test_tolerant_nvr_answer_keeps_everything() -> None:
    sdp = parse_sdp(NVR_TCP_ANSWER)
    assert sdp.kind is SessionKind.PLAYBACK
    assert sdp.timing == Timing()
    assert sdp.ssrc == "1000000002"
    assert sdp.other == (Line("i", "HIK NVR"),)
    video = sdp.media[0]
    assert video.other == (Line("b", "AS:4096"), Line("x", "vendor-extension"))
    assert [a.name for a in video.attributes] == [
        "sendonly",
        "rtpmap",
        "setup",
        "connection",
        "streamMode",
        "filesize",
    ]
    assert video.attribute("streammode") == "MAIN"
    assert video.filesize == 1048576
    assert video.is_tcp
    assert sdp.media_format == MediaFormat(VideoFormat(2, "5", 25, 1, 4096), AudioFormat(1, 8, 1))
    assert sdp.media_format.video is not None
    assert sdp.media_format.video.codec_name == "H.264"
    assert sdp.media_format.audio is not None
    assert sdp.media_format.audio.sample_rate_hz == 8000
    answer = read_answer(sdp)
    assert answer.transport is Transport.TCP_PASSIVE  # the device connects to Vigil
    assert parse_sdp(bytes(sdp)) == sdp


def test_canonical_order_moves_gb_lines_after_media() -> None:
    text = bytes(parse_sdp(NVR_TCP_ANSWER)).decode()
    assert text.splitlines() == [
        "v=0",
        "o=34020000001110000001 0 0 IN IP4 10.1.1.20",
        "s=Playback",
        "i=HIK NVR",
        "c=IN IP4 10.1.1.20",
        "t=0 0",
        "m=video 40000 TCP/RTP/AVP 96",
        "b=AS:4096",
        "x=vendor-extension",
        "a=sendonly",
        "a=rtpmap:96 PS/90000",
        "a=setup:active",
        "a=connection:new",
        "a=streamMode:MAIN",
        "a=filesize:1048576",
        "y=1000000002",
        "f=v/2/5/25/1/4096a/1/8/1",
    ]


def test_gb18030_session_name_is_decoded() -> None:
    body = "v=0\no=- 0 0 IN IP4 1.2.3.4\ns=实时视频\n".encode("gb18030")
    assert parse_sdp(body).session_name == "实时视频"
    assert parse_sdp(body).kind is None


def test_duplicates_and_media_level_connection_are_kept() -> None:
    sdp = parse_sdp(
        "v=0\no=- 0 0 IN IP4 1.2.3.4\ns=Play\nt=0 0\nt=1 2\n"
        "m=video 5000 RTP/AVP 96\nc=IN IP4 5.6.7.8\nc=IN IP4 9.9.9.9\ny=0000000001\ny=0000000002\n"
    )
    assert sdp.timing == Timing(0, 0)
    assert sdp.ssrc == "0000000001"
    assert Line("t", "1 2") in sdp.other and Line("y", "0000000002") in sdp.other
    assert sdp.media[0].connection == Connection("5.6.7.8")
    assert sdp.media[0].other == (Line("c", "IN IP4 9.9.9.9"),)
    assert read_answer(sdp).address == "5.6.7.8"
    assert parse_sdp(bytes(sdp)) == sdp


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "SDP is empty"),
        (b"o=- 0 0 IN IP4 1.2.3.4\n", "line 1 'o=- 0 0 IN IP4 1.2.3.4': SDP must begin with v=0"),
        (b"v=1\n", "line 1 'v=1': v= must be 0, got '1'"),
        (b"v=0\nv=0\n", "line 2 'v=0': duplicate v= line"),
        (b"v=0\nhello\n", "line 2 'hello': not '<letter>=<value>'"),
        (b"v=0\no=a b c\n", "line 2 'o=a b c': o= must have 6 fields, got 3"),
        (b"v=0\no=- 0 0 IN IP4 h\n", "SDP has no s= line"),
        (b"v=0\ns=Play\n", "SDP has no o= line"),
        (b"v=0\nc=IN IP4\n", "line 2 'c=IN IP4': c= must be '<net type> <address type> <address>'"),
        (b"v=0\nt=0 x\n", "line 2 't=0 x': t= time must be 1 to 20 decimal digits, got 'x'"),
        (
            b"v=0\nm=video 70000 RTP/AVP 96\n",
            "line 2 'm=video 70000 RTP/AVP 96': m= port must be 0 to 65535, got 70000",
        ),
        (b"v=0\nm=video\n", "line 2 'm=video': m= must be '<media> <port> <proto> <format>...'"),
        (b"v=0\na=:x\n", "line 2 'a=:x': a= attribute name '' is not a token"),
        (
            b"v=0\ny=01234567890\n",
            "line 2 'y=01234567890': y= must be 1 to 10 decimal digits, got '01234567890'",
        ),
        (b"v=0\nf=x/1\n", "line 2 'f=x/1': f= must start with v/ or a/, got 'x/1'"),
        (
            b"v=0\nf=v/H264\n",
            "line 2 'f=v/H264': f= video codec must be 1 to 10 decimal digits, got 'H264'",
        ),
        (
            b"v=0\nf=v/1/2/3/4/5/6\n",
            "line 2 'f=v/1/2/3/4/5/6': f= video part has 6 fields, at most 5",
        ),
        (b"v=0\ns=a\rb\n", "line 2 's=a\\rb': bare CR inside the line"),
        (b"\xff\xff\xff", "SDP is neither UTF-8 nor GB18030 text"),
        (b"v=0\n" + b"a=x\n" * 20000, "SDP is 80004 bytes, more than 65536"),
    ],
)
def test_bad_sdp_is_refused_with_the_rule(body: bytes, message: str) -> None:
    with pytest.raises(SdpError) as caught:
        parse_sdp(body)
    assert str(caught.value) == message
    assert caught.value.status_hint == 488


def test_live_udp_offer_is_exact() -> None:
    offer = build_offer(
        kind=SessionKind.PLAY,
        sender_id="34020000002000000001",
        address="10.0.0.1",
        port=30000,
        ssrc=make_ssrc("3402000000", history=False, index=1),
    )
    assert bytes(offer) == (
        b"v=0\r\n"
        b"o=34020000002000000001 0 0 IN IP4 10.0.0.1\r\n"
        b"s=Play\r\n"
        b"c=IN IP4 10.0.0.1\r\n"
        b"t=0 0\r\n"
        b"m=video 30000 RTP/AVP 96 98 97\r\n"
        b"a=recvonly\r\n"
        b"a=rtpmap:96 PS/90000\r\n"
        b"a=rtpmap:98 H264/90000\r\n"
        b"a=rtpmap:97 MPEG4/90000\r\n"
        b"y=0200000001\r\n"
        b"f=\r\n"
    )


def test_download_tcp_passive_offer() -> None:
    offer = build_offer(
        kind=SessionKind.DOWNLOAD,
        sender_id="34020000002000000001",
        address="10.0.0.1",
        port=30002,
        ssrc="1200000002",
        transport=Transport.TCP_PASSIVE,
        channel_id="34020000001310000001",
        start=1700000000,
        stop=1700003600,
        download_speed=4,
    )
    lines = offer.serialize().splitlines()
    assert "u=34020000001310000001:0" in lines
    assert "t=1700000000 1700003600" in lines
    assert "m=video 30002 TCP/RTP/AVP 96 98 97" in lines
    assert lines[-5:-2] == ["a=setup:passive", "a=connection:new", "a=downloadspeed:4"]
    assert offer.channel_id == "34020000001310000001"
    assert offer.media[0].download_speed == 4
    assert parse_sdp(bytes(offer)) == offer


def test_playback_tcp_active_offer_and_ipv6() -> None:
    offer = build_offer(
        kind=SessionKind.PLAYBACK,
        sender_id="34020000002000000001",
        address="fd00::1",
        port=30004,
        ssrc="1200000003",
        transport=Transport.TCP_ACTIVE,
        channel_id="34020000001310000001",
        start=1,
        stop=2,
        media_format=None,
    )
    assert offer.connection == Connection("fd00::1", addr_type="IP6")
    assert offer.media[0].setup == "active"
    assert not any(line.startswith("f=") for line in offer.serialize().splitlines())


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": SessionKind.TALK}, "an offer is Play, Playback or Download, not Talk"),
        ({"kind": SessionKind.PLAYBACK}, "a Playback offer needs the channel ID for u="),
        ({"kind": SessionKind.PLAY, "ssrc": "x"}, "y= must be 1 to 10 decimal digits, got 'x'"),
    ],
)
def test_bad_offers_are_refused(kwargs: dict[str, object], message: str) -> None:
    base: dict[str, object] = {
        "sender_id": "34020000002000000001",
        "address": "10.0.0.1",
        "port": 1,
        "ssrc": "0000000001",
    }
    with pytest.raises(SdpError) as caught:
        build_offer(**{**base, **kwargs})  # type: ignore[arg-type]
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("setup", "transport"),
    [
        ("a=setup:active\n", Transport.TCP_PASSIVE),
        ("a=setup:Passive\n", Transport.TCP_ACTIVE),
        ("", Transport.TCP_PASSIVE),
    ],
)
def test_answer_setup_maps_to_vigils_side(setup: str, transport: Transport) -> None:
    body = (
        f"v=0\no=- 0 0 IN IP4 1.1.1.1\ns=Play\nc=IN IP4 1.1.1.1\nm=video 9 TCP/RTP/AVP 96\n{setup}"
    )
    assert read_answer(parse_sdp(body)).transport is transport


@pytest.mark.parametrize(
    ("tail", "message"),
    [
        ("m=audio 9 RTP/AVP 8\n", "SDP has no m=video section"),
        ("m=video 0 RTP/AVP 96\n", "the peer refused the video stream (m=video port 0)"),
        ("m=video 9 RTP/AVP 96\n", "SDP has no c= address for the video"),
        (
            "c=IN IP4 1.1.1.1\nm=video 9 TCP/RTP/AVP 96\na=setup:holdconn\n",
            "a=setup must be active, passive or actpass, got 'holdconn'",
        ),
        (
            "c=IN IP4 1.1.1.1\nm=video 9 RTP/AVP 96\na=rtpmap:96 PS\n",
            "rtpmap '96 PS' is not '<pt> <encoding>/<clock rate>'",
        ),
        (
            "c=IN IP4 1.1.1.1\nm=video 9 RTP/AVP 96\na=rtpmap:200 PS/90000\n",
            "rtpmap payload type must be 0 to 127, got 200",
        ),
    ],
)
def test_unusable_answers_are_refused(tail: str, message: str) -> None:
    sdp = parse_sdp("v=0\no=- 0 0 IN IP4 1.1.1.1\ns=Play\n" + tail)
    with pytest.raises(SdpError) as caught:
        read_answer(sdp)
    assert str(caught.value) == message


def test_ssrc_rule() -> None:
    assert make_ssrc("3402000000", history=False, index=0) == "0200000000"
    assert make_ssrc("6401000000", history=True, index=9999) == "1100009999"
    assert parse_ssrc("1100009999") == Ssrc(history=True, domain_part="10000", index=9999)
    assert parse_ssrc("0200000001").value == 200000001


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: make_ssrc("340200000", False, 1), "SIP domain must be 10 digits, got '340200000'"),
        (lambda: make_ssrc("3402000000", False, 10000), "SSRC index must be 0 to 9999, got 10000"),
        (lambda: parse_ssrc("200000001"), "SSRC must be 10 decimal digits, got '200000001'"),
        (
            lambda: parse_ssrc("2200000001"),
            "SSRC first digit must be 0 (live) or 1 (history), got '2'",
        ),
    ],
)
def test_ssrc_errors(call: object, message: str) -> None:
    with pytest.raises(SdpError) as caught:
        call()  # type: ignore[operator]
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (SessionDescription(Origin("a b", "0", "0", "x"), "Play"), "o= field 'a b' must be"),
        (SessionDescription(Origin("-", "0", "0", "x"), "Pl\nay"), "s= value 'Pl\\nay' has a"),
        (
            SessionDescription(Origin("-", "0", "0", "x"), "s", other=(Line("m", "x"),)),
            "line type 'm' must be one visible character not in v/m/a",
        ),
        (
            SessionDescription(Origin("-", "0", "0", "x"), "s", ssrc="12345678901"),
            "y= must be 1 to 10 decimal digits",
        ),
    ],
)
def test_serialisation_is_strict(value: SessionDescription, message: str) -> None:
    with pytest.raises(SdpError) as caught:
        bytes(value)
    assert str(caught.value).startswith(message)


# --- property tests --------------------------------------------------------------------------

_TOKEN = st.text(string.ascii_letters + string.digits + ".-_/", min_size=1, max_size=12)
_NAME = st.text(string.ascii_letters + string.digits + "-_", min_size=1, max_size=12)
_TEXT = st.text(string.printable.replace("\r", "").replace("\n", ""), max_size=24).map(str.rstrip)
_DIGITS = st.integers(0, 10**10 - 1)
_OPT_INT = st.none() | _DIGITS


def _attributes() -> st.SearchStrategy[tuple[Attribute, ...]]:
    return st.lists(st.builds(Attribute, _NAME, st.none() | _TEXT), max_size=4).map(tuple)


def _lines(kinds: str) -> st.SearchStrategy[tuple[Line, ...]]:
    """Lines in ``kinds`` order, which is the canonical order serialisation restores."""
    lines = st.lists(st.builds(Line, st.sampled_from(kinds), _TEXT), max_size=3)
    return lines.map(lambda ls: tuple(sorted(ls, key=lambda line: kinds.index(line.kind))))


_CONNECTIONS = st.none() | st.builds(Connection, _TOKEN, _TOKEN, _TOKEN)
_MEDIA = st.builds(
    MediaDescription,
    media=_NAME,
    port=st.integers(0, 65535),
    proto=_TOKEN,
    formats=st.lists(_TOKEN, max_size=4).map(tuple),
    port_count=st.none() | st.integers(0, 99999),
    connection=_CONNECTIONS,
    attributes=_attributes(),
    other=_lines("ibkxzQ"),  # RFC 4566 media order; unknown letters sit with k=
)
_FORMATS = st.none() | st.builds(
    MediaFormat,
    st.none()
    | st.builds(
        VideoFormat,
        _OPT_INT,
        st.none() | st.sampled_from(["1", "6", "1920x1080"]),
        _OPT_INT,
        _OPT_INT,
        _OPT_INT,
    ),
    st.none() | st.builds(AudioFormat, _OPT_INT, _OPT_INT, _OPT_INT),
)
_SESSIONS = st.builds(
    SessionDescription,
    origin=st.builds(Origin, _TOKEN, _TOKEN, _TOKEN, _TOKEN, _TOKEN, _TOKEN),
    session_name=_TEXT,
    connection=_CONNECTIONS,
    uri=st.none() | _TEXT,
    timing=st.builds(Timing, st.integers(0, 10**20 - 1), st.integers(0, 10**20 - 1)),
    media=st.lists(_MEDIA, max_size=3).map(tuple),
    attributes=_attributes(),
    ssrc=st.none() | st.text(string.digits, min_size=1, max_size=10),
    media_format=_FORMATS,
    other=_lines("iepbrzkxQ"),  # RFC 4566 session order; unknown letters sit with k=
)


@given(_SESSIONS)
def test_parse_of_serialise_is_identity(sdp: SessionDescription) -> None:
    assert parse_sdp(bytes(sdp)) == sdp


@given(_SESSIONS)
def test_serialisation_is_canonical_whatever_the_line_order(sdp: SessionDescription) -> None:
    shuffled = replace(sdp, other=sdp.other[::-1])
    assert bytes(parse_sdp(bytes(shuffled))) == bytes(shuffled)


@given(st.builds(RtpMap, st.integers(0, 127), _NAME, _DIGITS, st.none() | _TOKEN))
def test_rtpmap_round_trip(rtpmap: RtpMap) -> None:
    assert RtpMap.parse(str(rtpmap)) == rtpmap


@given(st.booleans(), st.text(string.digits, min_size=10, max_size=10), st.integers(0, 9999))
def test_ssrc_round_trip(history: bool, domain: str, index: int) -> None:
    ssrc = parse_ssrc(make_ssrc(domain, history, index))
    assert (ssrc.history, ssrc.domain_part, ssrc.index) == (history, domain[3:8], index)


_SDP_LINES = st.lists(
    st.sampled_from(["v=0", "o=- 0 0 IN IP4 a", "s=Play", "m=video 1 RTP/AVP 96", "y=1"])
    | st.builds("{}={}".format, st.sampled_from("vosuctamyfibx"), _TEXT),
    max_size=12,
).map("\n".join)


@given(st.binary(max_size=300) | _SDP_LINES.map(str.encode))
def test_any_input_parses_or_raises_sdp_error(data: bytes) -> None:
    try:
        sdp = parse_sdp(data)
    except SdpError:
        return
    assert parse_sdp(bytes(sdp)) == sdp
