from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vigil.protocols.errors import RtpError
from vigil.protocols.rtp import RtpExtension, RtpPacket, build_rtp_header, parse_rtp_header

# What a GB/T 28181 camera sends: PT 96, marker on the last packet of a frame, PS payload.
GB_PACKET = bytes.fromhex("80e0 1234 00015f90 05f5e101") + b"\x00\x00\x01\xba" + b"\x44" * 10
# V=2 P=1 X=1 CC=2: two CSRCs, a one-word extension and 3 bytes of padding.
FULL_PACKET = bytes.fromhex(
    "b2 08 0001 00000002 00000003 00000004 00000005 bede0001 01020304 aabbcc 000003"
)


def test_gb_packet_fields() -> None:
    p = RtpPacket.parse(GB_PACKET)
    assert (p.version, p.payload_type, p.marker) == (2, 96, True)
    assert (p.sequence_number, p.timestamp, p.ssrc) == (0x1234, 90000, 100000001)
    assert p.payload == GB_PACKET[12:]
    assert bytes(p) == GB_PACKET


def test_full_packet_fields_and_round_trip() -> None:
    p = RtpPacket.parse(FULL_PACKET)
    assert p.csrc == (4, 5)
    assert p.extension == RtpExtension(0xBEDE, bytes.fromhex("01020304"))
    assert p.payload == bytes.fromhex("aabbcc")
    assert p.padding == 3
    assert bytes(p) == FULL_PACKET


def test_fast_path_agrees_with_packet() -> None:
    assert parse_rtp_header(FULL_PACKET) == (1, 2, 3, 8, False, 28, 31)
    assert parse_rtp_header(memoryview(GB_PACKET)) == (0x1234, 90000, 100000001, 96, True, 12, 26)


def test_build_header_matches_packet() -> None:
    packet = RtpPacket(96, 65535, 1, 2, b"x", marker=True)
    assert build_rtp_header(96, 65535, 1, 2, True) + b"x" == bytes(packet)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x80" * 11, "RTP packet is shorter than the 12-byte fixed header"),
        (b"\x40" + bytes(11), "RTP version is 1, RFC 3550 requires 2"),
        (b"\x90" + bytes(11) + b"\x00", "RTP packet has a truncated header extension"),
        (
            b"\x90" + bytes(13) + b"\x00\x05",
            "RTP header (CSRC, extension, padding) is longer than the packet",
        ),
        (b"\x81" + bytes(11), "RTP header (CSRC, extension, padding) is longer than the packet"),
        (b"\xa0" + bytes(11), "RTP packet has the padding bit set but no padding count"),
        (b"\xa0" + bytes(12), "RTP padding count is 0, RFC 3550 §5.1 counts itself"),
        (
            b"\xa0" + bytes(11) + b"\x09",
            "RTP header (CSRC, extension, padding) is longer than the packet",
        ),
    ],
)
def test_malformed_packets_have_exact_errors(data: bytes, message: str) -> None:
    with pytest.raises(RtpError) as info:
        RtpPacket.parse(data)
    assert str(info.value) == message


def test_constructor_rejects_out_of_range_fields() -> None:
    with pytest.raises(RtpError, match="payload type 128 does not fit in 7 bits"):
        RtpPacket(128, 0, 0, 0)
    with pytest.raises(RtpError, match="CSRC 4294967296 does not fit in 32 bits"):
        RtpPacket(0, 0, 0, 0, csrc=(1 << 32,))
    with pytest.raises(RtpError, match="multiple of 4 bytes"):
        RtpExtension(1, b"abc")
    with pytest.raises(RtpError, match="payload type 200 does not fit"):
        build_rtp_header(200, 0, 0, 0)


u32 = st.integers(0, 0xFFFFFFFF)
packets = st.builds(
    RtpPacket,
    payload_type=st.integers(0, 127),
    sequence_number=st.integers(0, 0xFFFF),
    timestamp=u32,
    ssrc=u32,
    payload=st.binary(max_size=64),
    marker=st.booleans(),
    csrc=st.lists(u32, max_size=15).map(tuple),
    extension=st.none()
    | st.builds(
        RtpExtension,
        st.integers(0, 0xFFFF),
        st.binary(max_size=16).map(lambda b: b[: len(b) // 4 * 4]),
    ),
    padding=st.integers(0, 255),
)


@given(packets)
def test_round_trip(packet: RtpPacket) -> None:
    data = bytes(packet)
    assert RtpPacket.parse(data) == packet
    seq, ts, ssrc, pt, marker, start, end = parse_rtp_header(data)
    assert (seq, ts, ssrc, pt, marker) == (
        packet.sequence_number,
        packet.timestamp,
        packet.ssrc,
        packet.payload_type,
        packet.marker,
    )
    assert data[start:end] == packet.payload


@given(st.binary(max_size=64))
def test_arbitrary_bytes_parse_or_raise_rtp_error(data: bytes) -> None:
    with contextlib.suppress(RtpError):
        RtpPacket.parse(data)
