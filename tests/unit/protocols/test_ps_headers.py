from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vigil.protocols.errors import PsError
from vigil.protocols.ps import (
    PackHeader,
    PesPacket,
    ProgramStreamMap,
    PsmEntry,
    StreamType,
    SystemHeader,
    SystemHeaderStream,
)
from vigil.protocols.ps.headers import crc32_mpeg2

# A Hikvision-style pack header: SCR 90000 ticks, mux rate 6106, 6 stuffing bytes.
HIK_PACK = bytes.fromhex("000001ba 440016fc8401 005f6b fe ffffffffffff")
# A PSM announcing H.265 on 0xE0 and G.711A on 0xC0, with a zero CRC as many cameras write.
PSM_ZERO_CRC = bytes.fromhex("000001bc 0012 e0ff 0000 0008 24e0 0000 90c0 0000 00000000")


def test_crc32_mpeg2_check_value() -> None:
    assert crc32_mpeg2(b"123456789") == 0x0376E6E7


def test_camera_pack_header_with_stuffing() -> None:
    pack = PackHeader.parse(HIK_PACK)
    assert pack == PackHeader(scr_base=90000, scr_extension=0, mux_rate=6106, stuffing=6)
    assert pack.size == len(HIK_PACK)


def test_mpeg1_pack_header_is_tolerated() -> None:
    pack = PackHeader(scr_base=123456, mux_rate=2000, mpeg1=True)
    data = bytes(pack)
    assert len(data) == 12
    assert PackHeader.parse(data) == pack


def test_psm_with_zero_crc_is_accepted() -> None:
    psm = ProgramStreamMap.parse(PSM_ZERO_CRC)
    assert psm.stream_types() == {0xE0: StreamType.H265, 0xC0: StreamType.G711A}


def test_psm_serialises_with_a_valid_crc() -> None:
    data = bytes(ProgramStreamMap((PsmEntry(0x1B, 0xE0),)))
    assert crc32_mpeg2(data) == 0  # CRC over the whole section including the CRC is zero


@pytest.mark.parametrize(
    ("parse", "data", "message"),
    [
        (PackHeader.parse, b"\x00\x00\x01\xba", "pack header needs 12 bytes, got 4"),
        (
            PackHeader.parse,
            b"\x00\x00\x01\xbb" + bytes(10),
            "pack header must start with 000001ba, got 000001bb",
        ),
        (
            PackHeader.parse,
            b"\x00\x00\x01\xba\xc0" + bytes(9),
            "pack header byte 4 is 0xc0: neither MPEG-2 '01' nor MPEG-1 '0010'",
        ),
        (PackHeader.parse, HIK_PACK[:19], "pack header announces 6 stuffing bytes, data ends"),
        (
            SystemHeader.parse,
            b"\x00\x00\x01\xbb\x00\x20" + bytes(6),
            "system header length 32 is not 6..6",
        ),
        (ProgramStreamMap.parse, PSM_ZERO_CRC[:20], "PSM length 18 is not 10..14"),
        (
            PesPacket.parse,
            b"\x00\x00\x02\xe0\x00\x00",
            "PES packet must start with 000001 and a stream id",
        ),
        (
            PesPacket.parse,
            b"\x00\x00\x01\xe0\x00\x09\x80\x80\x05",
            "PES_packet_length 9 runs past the 3 bytes given",
        ),
        (
            PesPacket.parse,
            b"\x00\x00\x01\xe0\x00\x03\x80\x40\x00",
            "PES PTS_DTS_flags is '01', which §2.4.3.7 forbids",
        ),
        (
            PesPacket.parse,
            b"\x00\x00\x01\xe0\x00\x03\x80\x80\x00",
            "PES header announces a PTS but its header data is under 5 bytes",
        ),
        (
            PesPacket.parse,
            b"\x00\x00\x01\xe0\x00\x03\x80\x00\x09",
            "PES header is longer than its PES_packet_length",
        ),
    ],
)
def test_malformed_headers_have_exact_errors(parse: object, data: bytes, message: str) -> None:
    assert callable(parse)
    with pytest.raises(PsError) as info:
        parse(data)
    assert str(info.value) == message


def test_mpeg1_pes_header_is_read() -> None:
    # MPEG-1: two stuffing bytes, STD buffer, then PTS only.
    pts = bytes.fromhex("21000100 01")
    data = b"\x00\x00\x01\xc0\x00\x0b" + b"\xff\xff" + b"\x40\x20" + pts + b"ab"
    pes = PesPacket.parse(data)
    assert (pes.pts, pes.dts, pes.payload) == (0, None, b"ab")


timestamps = st.integers(0, (1 << 33) - 1)


@given(
    st.builds(
        PackHeader,
        timestamps,
        st.integers(0, 299),
        st.integers(0, (1 << 22) - 1),
        st.integers(0, 7),
    )
)
def test_pack_round_trip(pack: PackHeader) -> None:
    assert PackHeader.parse(bytes(pack)) == pack


@given(
    st.builds(PackHeader, timestamps, mux_rate=st.integers(0, (1 << 22) - 1), mpeg1=st.just(True))
)
def test_mpeg1_pack_round_trip(pack: PackHeader) -> None:
    assert PackHeader.parse(bytes(pack)) == pack


streams = st.builds(
    SystemHeaderStream, st.integers(0xB8, 0xFF), st.integers(0, 1), st.integers(0, 8191)
)


@given(
    st.builds(
        SystemHeader,
        st.integers(0, (1 << 22) - 1),
        st.integers(0, 32),
        st.integers(0, 16),
        st.lists(streams, max_size=4).map(tuple),
        st.booleans(),
        st.booleans(),
        st.booleans(),
        st.booleans(),
        st.booleans(),
    )
)
def test_system_header_round_trip(header: SystemHeader) -> None:
    assert SystemHeader.parse(bytes(header)) == header


entries = st.builds(PsmEntry, st.integers(0, 255), st.integers(0, 255), st.binary(max_size=8))


@given(
    st.builds(
        ProgramStreamMap,
        st.lists(entries, max_size=4).map(tuple),
        st.integers(0, 31),
        st.booleans(),
        st.binary(max_size=8),
    )
)
def test_psm_round_trip(psm: ProgramStreamMap) -> None:
    assert ProgramStreamMap.parse(bytes(psm)) == psm


@st.composite
def pes_packets(draw: st.DrawFn) -> PesPacket:
    stream_id = draw(st.sampled_from([0xE0, 0xE1, 0xC0, 0xBD]))
    pts = draw(st.none() | timestamps)
    dts = draw(st.none() | timestamps) if pts is not None else None
    return PesPacket(stream_id, draw(st.binary(max_size=64)), pts, dts, draw(st.booleans()))


@given(pes_packets())
def test_pes_round_trip(pes: PesPacket) -> None:
    assert PesPacket.parse(bytes(pes)) == pes


def test_padding_pes_has_no_optional_header() -> None:
    pes = PesPacket(0xBE, b"\xff" * 5)
    assert bytes(pes) == b"\x00\x00\x01\xbe\x00\x05" + b"\xff" * 5
    with pytest.raises(PsError, match="has no optional header"):
        PesPacket(0xBE, b"", pts=1)


def test_oversized_video_pes_uses_length_zero() -> None:
    data = bytes(PesPacket(0xE0, bytes(70000), pts=0))
    assert data[4:6] == b"\x00\x00"
    assert PesPacket.parse(data).payload == bytes(70000)
    with pytest.raises(PsError, match="exceeds 65535"):
        bytes(PesPacket(0xC0, bytes(70000), pts=0))


@pytest.mark.parametrize(
    "parse", [PackHeader.parse, SystemHeader.parse, ProgramStreamMap.parse, PesPacket.parse]
)
@given(data=st.binary(max_size=40), code=st.sampled_from([0xBA, 0xBB, 0xBC, 0xE0]))
def test_arbitrary_bytes_parse_or_raise_ps_error(parse: object, data: bytes, code: int) -> None:
    assert callable(parse)
    with contextlib.suppress(PsError):
        parse(b"\x00\x00\x01" + bytes((code,)) + data)
