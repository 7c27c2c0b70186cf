from __future__ import annotations

import pytest

from vigil.protocols.errors import PsError, RtpError
from vigil.protocols.ps import AccessUnit, PsDemuxer, PsMuxer, StreamType, packetize_rtp
from vigil.protocols.ps.mux import MAX_PES_SIZE
from vigil.protocols.rtp import RtpPacket

IDR = (
    b"\x00\x00\x00\x01\x67\x42\x00\x1e\x00\x00\x00\x01\x68\xce\x3c\x80\x00\x00\x01\x65"
    + bytes(range(1, 256)) * 800
)  # ~204 KB: needs four PES
P_FRAME = b"\x00\x00\x00\x01\x41\x9a" + bytes(range(1, 256)) * 4


def pes_packets(ps: bytes) -> list[bytes]:
    """Split a pack into its PES packets by their lengths (test helper, video ids only)."""
    out = []
    at = ps.find(b"\x00\x00\x01\xe0")
    while 0 <= at < len(ps):
        length = int.from_bytes(ps[at + 4 : at + 6], "big")
        out.append(ps[at : at + 6 + length])
        at += 6 + length
    return out


def test_keyframe_pack_layout() -> None:
    ps = PsMuxer(StreamType.H264).mux_video(IDR, 90000)
    assert ps[:4] == b"\x00\x00\x01\xba"
    assert ps[14 : 14 + 4] == b"\x00\x00\x01\xbb"
    assert b"\x00\x00\x01\xbc" in ps[:100]
    packets = pes_packets(ps)
    assert len(packets) == 4
    assert all(len(p) <= MAX_PES_SIZE for p in packets)
    # PTS only on the first PES (PTS_DTS_flags '10'), the others carry none.
    assert [p[7] >> 6 for p in packets] == [2, 0, 0, 0]


def test_non_keyframe_has_no_system_header_or_psm() -> None:
    ps = PsMuxer().mux_video(P_FRAME, 3600)
    assert b"\x00\x00\x01\xbb" not in ps and b"\x00\x00\x01\xbc" not in ps


def test_pts_dts_survive_for_b_frames() -> None:
    muxer = PsMuxer(StreamType.H265)
    demuxer = PsDemuxer()
    data = muxer.mux_video(P_FRAME, 7200, dts=3600) + muxer.mux_video(P_FRAME, 3600, dts=3600)
    units = demuxer.feed(data) + demuxer.flush()
    assert [(u.pts, u.dts) for u in units] == [(7200, 3600), (3600, None)]


def test_mux_takes_demuxed_units() -> None:
    muxer = PsMuxer(StreamType.H264, StreamType.G711A)
    units = [
        AccessUnit(StreamType.H264, 0xE0, 0, None, IDR, True),
        AccessUnit(StreamType.G711A, 0xC0, 0, None, b"\xd5" * 160),
    ]
    demuxer = PsDemuxer()
    out = demuxer.feed(b"".join(muxer.mux(u) for u in units)) + demuxer.flush()
    assert out == units


def test_mux_errors() -> None:
    with pytest.raises(PsError, match="needs a PTS"):
        PsMuxer().mux(AccessUnit(StreamType.H264, 0xE0, None, None, b""))
    with pytest.raises(PsError, match="without an audio stream"):
        PsMuxer().mux_audio(b"x", 0)
    with pytest.raises(PsError, match="max PES size"):
        PsMuxer(max_pes_size=70000)


def test_packetize_rtp_sizes_marker_and_sequence() -> None:
    ps = PsMuxer().mux_video(IDR, 0)
    packets = packetize_rtp(ps, ssrc=7, seq=65530, timestamp=90000)
    parsed = [RtpPacket.parse(p) for p in packets]
    assert all(len(p) <= 1400 for p in packets)
    assert [p.marker for p in parsed] == [False] * (len(parsed) - 1) + [True]
    assert [p.sequence_number for p in parsed[:8]] == [
        65530,
        65531,
        65532,
        65533,
        65534,
        65535,
        0,
        1,
    ]
    assert {(p.payload_type, p.ssrc, p.timestamp) for p in parsed} == {(96, 7, 90000)}
    assert b"".join(p.payload for p in parsed) == ps
    assert packetize_rtp(b"", ssrc=1, seq=0, timestamp=0) == []
    with pytest.raises(RtpError, match="leaves no room"):
        packetize_rtp(ps, ssrc=1, seq=0, timestamp=0, max_packet_size=12)
