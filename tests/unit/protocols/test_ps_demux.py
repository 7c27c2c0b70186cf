"""Demuxer behaviour on streams shaped like what GB/T 28181 cameras really send."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.protocols.ps import (
    AccessUnit,
    PackHeader,
    PesPacket,
    ProgramStreamMap,
    PsDemuxer,
    PsmEntry,
    PsMuxer,
    StreamType,
    SystemHeader,
    SystemHeaderStream,
)

BODY = bytes(range(1, 250)) * 3  # no start code inside
H264_IDR = (
    b"\x00\x00\x00\x01\x67\x42\x00\x1e\x00\x00\x00\x01\x68\xce\x3c\x80\x00\x00\x01\x65\x88" + BODY
)
H264_P = b"\x00\x00\x00\x01\x41\x9a" + BODY
H265_IDR = (
    b"\x00\x00\x00\x01\x40\x01\x0c\x01\x00\x00\x00\x01\x42\x01\x01\x00\x00\x01\x26\x01\xaf" + BODY
)
H265_P = b"\x00\x00\x00\x01\x02\x01\xd0" + BODY
ALAW = b"\xd5" * 320


def pack(scr: int = 0, stuffing: int = 0) -> bytes:
    return bytes(PackHeader(scr, mux_rate=6106, stuffing=stuffing))


def pes(
    stream_id: int, payload: bytes, pts: int | None = None, *, unbounded: bool = False
) -> bytes:
    data = bytes(PesPacket(stream_id, payload, pts))
    return data[:4] + b"\x00\x00" + data[6:] if unbounded else data


def split_frame(frame: bytes, pts: int, parts: int, *, repeat_pts: bool = False) -> bytes:
    """One frame over several PES, only the first with a PTS unless ``repeat_pts``."""
    step = -(-len(frame) // parts)
    chunks = [frame[i : i + step] for i in range(0, len(frame), step)]
    return b"".join(
        pes(0xE0, c, pts if i == 0 or repeat_pts else None) for i, c in enumerate(chunks)
    )


def demux(
    data: bytes, step: int | None = None, demuxer: PsDemuxer | None = None
) -> list[AccessUnit]:
    demuxer = demuxer or PsDemuxer()
    step = step or len(data) or 1
    out: list[AccessUnit] = []
    for i in range(0, len(data), step):
        out += demuxer.feed(data[i : i + step])
    return out + demuxer.flush()


def summary(units: list[AccessUnit]) -> list[tuple[int, int, int | None, bytes, bool]]:
    return [(u.stream_type, u.stream_id, u.pts, u.data, u.keyframe) for u in units]


# A camera with no PSM: H.265, each video frame in three PES (PTS on the first only), G.711 audio.
NO_PSM_H265 = (
    pack(0, stuffing=6)
    + split_frame(H265_IDR, 0, 3)
    + pes(0xC0, ALAW, 0)
    + pack(3600, stuffing=6)
    + split_frame(H265_P, 3600, 3)
    + pes(0xC0, ALAW, 3600)
)
EXPECTED_H265 = [
    (StreamType.H265, 0xE0, 0, H265_IDR, True),
    (StreamType.G711A, 0xC0, 0, ALAW, False),
    (StreamType.H265, 0xE0, 3600, H265_P, False),
    (StreamType.G711A, 0xC0, 3600, ALAW, False),
]


@pytest.mark.parametrize("step", [None, 1, 2, 3, 4, 5, 13, 100, 1400])
def test_camera_without_psm_any_chunking(step: int | None) -> None:
    demuxer = PsDemuxer()
    assert summary(demux(NO_PSM_H265, step, demuxer)) == EXPECTED_H265
    assert (demuxer.skipped_bytes, demuxer.resyncs, demuxer.frames_dropped) == (0, 0, 0)


def test_h264_without_psm_is_recognised() -> None:
    data = pack() + pes(0xE0, H264_IDR, 0) + pack(3600) + pes(0xE0, H264_P, 3600)
    units = demux(data, 7)
    assert [(u.stream_type, u.keyframe) for u in units] == [(0x1B, True), (0x1B, False)]


def test_psm_decides_the_stream_types() -> None:
    psm = ProgramStreamMap((PsmEntry(StreamType.H264, 0xE0), PsmEntry(StreamType.G711U, 0xC0)))
    system = SystemHeader(6106, 1, 1, (SystemHeaderStream(0xE0, 1, 1024),))
    data = pack() + bytes(system) + bytes(psm) + pes(0xE0, H264_IDR, 0) + pes(0xC0, ALAW, 0)
    units = demux(data, 9)
    assert [u.stream_type for u in units] == [StreamType.H264, StreamType.G711U]


def test_pts_repeated_on_every_pes_of_a_frame() -> None:
    data = (
        pack() + split_frame(H264_IDR, 0, 4, repeat_pts=True) + pack(3600) + pes(0xE0, H264_P, 3600)
    )
    assert [u.data for u in demux(data)] == [H264_IDR, H264_P]


def test_video_pes_of_length_zero() -> None:
    data = (
        pack()
        + pes(0xE0, H264_IDR, 0, unbounded=True)
        + pes(0xC0, ALAW, 0)
        + pack(3600)
        + pes(0xE0, H264_P, 3600, unbounded=True)
    )
    for step in (None, 1, 2, 3, 50):
        assert [(u.stream_id, u.data) for u in demux(data, step)] == [
            (0xE0, H264_IDR),
            (0xE0, H264_P),
            (0xC0, ALAW),
        ]


def test_garbage_between_packs_is_skipped_and_counted() -> None:
    junk = b"\x00\x00\x01\x09garbage\x00\x00"
    data = pack() + pes(0xE0, H264_IDR, 0) + junk + pack(3600) + pes(0xE0, H264_P, 3600)
    for step in (None, 1, 6):
        demuxer = PsDemuxer()
        assert [u.data for u in demux(data, step, demuxer)] == [H264_IDR, H264_P]
        assert (demuxer.skipped_bytes, demuxer.resyncs) == (len(junk), 1)


def test_loss_drops_the_frame_and_resyncs_at_the_next_pack() -> None:
    frame2 = pack(3600) + split_frame(H264_P, 3600, 2)
    demuxer = PsDemuxer()
    out = demuxer.feed(pack() + pes(0xE0, H264_IDR, 0))
    out += demuxer.feed(frame2[: len(frame2) // 2])
    demuxer.lost()
    # The rest of frame 2 (after the gap) is ignored up to the next pack header.
    out += demuxer.feed(frame2[len(frame2) // 2 + 10 :] + pack(7200) + pes(0xE0, H264_P, 7200))
    out += demuxer.flush()
    assert [u.pts for u in out] == [0, 7200]
    assert demuxer.frames_dropped == 1


def test_end_of_frame_emits_without_waiting_for_the_next_pts() -> None:
    demuxer = PsDemuxer()
    assert demuxer.feed(pack() + pes(0xE0, H264_IDR, 0) + pes(0xC0, ALAW, 0)) == []
    assert [u.stream_id for u in demuxer.end_of_frame()] == [0xE0, 0xC0]
    assert demuxer.flush() == []


def test_mpeg1_pack_and_program_end_code() -> None:
    data = (
        bytes(PackHeader(0, mux_rate=100, mpeg1=True))
        + pes(0xE0, H264_IDR, 0)
        + b"\x00\x00\x01\xb9"
    )
    assert [u.data for u in demux(data, 3)] == [H264_IDR]


def test_private_and_padding_streams_are_skipped() -> None:
    data = pack() + pes(0xBD, b"\x00\x00\x01\xe0hidden", 5) + bytes(PesPacket(0xBE, b"\xff" * 300))
    data += pes(0xE0, H264_IDR, 0)
    assert [u.stream_id for u in demux(data, 11)] == [0xE0]


def test_oversized_frame_is_dropped() -> None:
    demuxer = PsDemuxer(max_frame_size=1000)
    data = pack() + split_frame(H264_IDR * 2, 0, 2) + pack(3600) + pes(0xE0, H264_P, 3600)
    assert [u.pts for u in demux(data, 64, demuxer)] == [3600]
    assert demuxer.frames_dropped == 1


def test_broken_psm_is_counted_and_ignored() -> None:
    broken = b"\x00\x00\x01\xbc\x00\x0a\xe0\xff\xff\xff" + bytes(6)
    demuxer = PsDemuxer()
    assert [u.data for u in demux(pack() + broken + pes(0xE0, H264_IDR, 0), None, demuxer)] == [
        H264_IDR
    ]
    assert demuxer.psm_errors == 1


@st.composite
def streams(draw: st.DrawFn) -> tuple[list[tuple[bytes, int, int]], bytes]:
    muxer = PsMuxer(StreamType.H265, StreamType.G711A, max_pes_size=draw(st.integers(64, 2000)))
    frames = []
    parts = []
    for i in range(draw(st.integers(1, 6))):
        video = H265_IDR if i == 0 else H265_P + draw(st.binary(max_size=3000))
        audio = draw(st.binary(min_size=1, max_size=200))
        frames += [(video, 0xE0, i * 3600), (audio, 0xC0, i * 3600)]
        parts += [muxer.mux_video(video, i * 3600), muxer.mux_audio(audio, i * 3600)]
    return frames, b"".join(parts)


@settings(max_examples=60, deadline=None)
@given(streams(), st.integers(1, 3000))
def test_mux_then_demux_round_trip(
    stream: tuple[list[tuple[bytes, int, int]], bytes], step: int
) -> None:
    frames, data = stream
    units = demux(data, step)
    assert sorted((u.data, u.stream_id, u.pts) for u in units) == sorted(frames)


@settings(max_examples=200)
@given(st.lists(st.binary(max_size=200), max_size=8), st.booleans())
def test_arbitrary_bytes_never_raise(chunks: list[bytes], lose: bool) -> None:
    demuxer = PsDemuxer(max_frame_size=4096)
    prefix = pack() + pes(0xE0, H264_IDR[:50], 0, unbounded=True)
    demuxer.feed(prefix)
    for chunk in chunks:
        demuxer.feed(chunk)
        if lose:
            demuxer.lost()
    demuxer.end_of_frame()
    demuxer.flush()


def ffmpeg_style(frames: list[bytes], size: int) -> bytes:
    """PES cut every ``size`` bytes regardless of frames; a PES carries the PTS of the first
    frame that starts in it (ISO/IEC 13818-1 §2.4.3.7), as FFmpeg's mpeg muxer writes."""
    stream = b"".join(frames)
    starts = {}
    at = 0
    for i, frame in enumerate(frames):
        starts[at] = i * 3600
        at += len(frame)
    out = [pack()]
    for cut in range(0, len(stream), size):
        pts = next((starts[s] for s in sorted(starts) if cut <= s < cut + size), None)
        out.append(pes(0xE0, stream[cut : cut + size], pts))
    return b"".join(out)


@pytest.mark.parametrize("step", [None, 1, 7, 1400])
@pytest.mark.parametrize(
    ("frames", "video_type"),
    [
        ([H264_IDR, H264_P, H264_P[:-5], H264_P], StreamType.H264),
        ([H265_IDR, H265_P, H265_P[:-9], H265_P], StreamType.H265),
    ],
)
def test_pes_cut_anywhere_still_gives_whole_frames(
    frames: list[bytes], video_type: StreamType, step: int | None
) -> None:
    units = demux(ffmpeg_style(frames, 500), step)
    assert [(u.stream_type, u.pts, u.data) for u in units] == [
        (video_type, i * 3600, f) for i, f in enumerate(frames)
    ]
