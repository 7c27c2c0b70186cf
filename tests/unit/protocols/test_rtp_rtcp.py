from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vigil.protocols.errors import RtpError
from vigil.protocols.rtcp import (
    Bye,
    ReceiverReport,
    ReportBlock,
    RtcpPacket,
    RtcpUnknown,
    SdesChunk,
    SenderReport,
    SourceDescription,
    parse_rtcp,
    serialize_rtcp,
)

# A camera's compound report: SR with no report blocks, then SDES CNAME "cam1".
SR_SDES = bytes.fromhex(
    "80c80006 05f5e101 e8a1b2c3d4e5f607 00015f90 0000000a 00000bb8"
    "81ca0003 05f5e101 0104 63616d31 0000"
)
# Vigil's RR about that camera, and a BYE with reason "bye".
RR = bytes.fromhex("81c90007 00000001 05f5e101 05fffffe 00011234 00000020 a1b2c3d4 00010000")
BYE = bytes.fromhex("81cb0002 05f5e101 03627965")


def test_camera_sr_and_sdes() -> None:
    sr, sdes = parse_rtcp(SR_SDES)
    assert sr == SenderReport(100000001, 0xE8A1B2C3D4E5F607, 90000, 10, 3000)
    assert sdes == SourceDescription((SdesChunk(100000001, ((1, b"cam1"),)),))
    assert serialize_rtcp([sr, sdes]) == SR_SDES


def test_receiver_report_negative_cumulative_loss() -> None:
    (rr,) = parse_rtcp(RR)
    assert isinstance(rr, ReceiverReport)
    block = rr.reports[0]
    assert (block.fraction_lost, block.packets_lost) == (5, -2)
    assert (block.highest_sequence, block.jitter) == (0x11234, 32)
    assert serialize_rtcp([rr]) == RR


def test_bye_with_reason() -> None:
    assert parse_rtcp(BYE) == [Bye((100000001,), b"bye")]
    assert serialize_rtcp([Bye((100000001,), b"bye")]) == BYE


def test_unknown_type_is_kept_verbatim() -> None:
    app = bytes.fromhex("80cc0002 00000001 6e616d65")
    assert parse_rtcp(app) == [RtcpUnknown(204, 0, bytes.fromhex("00000001 6e616d65"))]
    assert serialize_rtcp(parse_rtcp(app)) == app


def test_padding_is_stripped() -> None:
    padded = bytes.fromhex("a0c90002 00000001 00000004")
    assert parse_rtcp(padded) == [ReceiverReport(1)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "RTCP compound packet is empty"),
        (b"\x80\xc8", "RTCP packet is shorter than the 4-byte common header"),
        (bytes.fromhex("40c90001 00000001"), "RTCP version is 1, RFC 3550 requires 2"),
        (bytes.fromhex("80c90002 00000001"), "RTCP length field says 12 bytes, only 8"),
        (bytes.fromhex("81c90001 00000001"), "RTCP RR announces 1 report blocks but is truncated"),
        (bytes.fromhex("80c80001 00000001"), "RTCP SR is shorter than its 24-byte sender info"),
        (bytes.fromhex("81ca0001 00000001"), "RTCP SDES chunk has no terminating null item"),
        (
            bytes.fromhex("81ca0002 00000001 0109aaaa"),
            "RTCP SDES item 1 runs past the end of the packet",
        ),
        (bytes.fromhex("82cb0001 00000001"), "RTCP BYE announces 2 sources but is truncated"),
        (
            bytes.fromhex("81cb0002 00000001 09616263"),
            "RTCP BYE reason runs past the end of the packet",
        ),
        (bytes.fromhex("a0c90001 00000009"), "RTCP padding count 9 does not fit in the packet"),
    ],
)
def test_malformed_rtcp_has_exact_errors(data: bytes, message: str) -> None:
    with pytest.raises(RtpError) as info:
        parse_rtcp(data)
    assert str(info.value) == message


u32 = st.integers(0, 0xFFFFFFFF)
words = st.binary(max_size=12).map(lambda b: b[: len(b) // 4 * 4])
blocks = st.builds(
    ReportBlock,
    u32,
    st.integers(0, 255),
    st.integers(-0x800000, 0x7FFFFF),
    u32,
    u32,
    u32,
    u32,
)
block_lists = st.lists(blocks, max_size=3).map(tuple)
items = st.lists(st.tuples(st.integers(1, 255), st.binary(max_size=20)), max_size=3).map(tuple)
rtcp_packets: st.SearchStrategy[RtcpPacket] = st.one_of(
    st.builds(SenderReport, u32, st.integers(0, (1 << 64) - 1), u32, u32, u32, block_lists, words),
    st.builds(ReceiverReport, u32, block_lists, words),
    st.builds(SourceDescription, st.lists(st.builds(SdesChunk, u32, items), max_size=3).map(tuple)),
    st.builds(Bye, st.lists(u32, max_size=4).map(tuple), st.binary(max_size=30)),
    st.builds(RtcpUnknown, st.integers(204, 255), st.integers(0, 31), words),
)


@given(st.lists(rtcp_packets, min_size=1, max_size=4))
def test_compound_round_trip(packets: list[RtcpPacket]) -> None:
    data = serialize_rtcp(packets)
    assert parse_rtcp(data) == packets
    assert serialize_rtcp(parse_rtcp(data)) == data


@given(st.binary(max_size=80))
def test_arbitrary_bytes_parse_or_raise_rtp_error(data: bytes) -> None:
    with contextlib.suppress(RtpError):
        parse_rtcp(data)
