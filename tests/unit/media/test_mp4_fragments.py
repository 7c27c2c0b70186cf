"""fMP4 fragments built without a muxer: Annex B conversion and the boxes around the samples."""

from __future__ import annotations

import struct

from hypothesis import given
from hypothesis import strategies as st

from vigil.media.mp4_fragments import Sample, annexb_to_mp4, fragment

# A NAL unit never contains 00 00 00..03 (emulation prevention), so it cannot hold a start code.
_nal = st.lists(st.integers(1, 255), min_size=1, max_size=40).map(bytes)


def mp4(annexb: bytes) -> bytes:
    parts, size = annexb_to_mp4(annexb)
    sample = b"".join(parts)
    assert len(sample) == size
    return sample


def sample(annexb: bytes, duration: int, keyframe: bool, cts_offset: int = 0) -> Sample:
    parts, size = annexb_to_mp4(annexb)
    return Sample(parts, size, duration, keyframe, cts_offset)


def split_lengths(sample: bytes) -> list[bytes]:
    nals, at = [], 0
    while at < len(sample):
        (size,) = struct.unpack_from("!I", sample, at)
        nals.append(sample[at + 4 : at + 4 + size])
        at += 4 + size
    return nals


@given(st.lists(st.tuples(_nal, st.booleans()), min_size=1, max_size=8))
def test_annexb_to_mp4_keeps_every_nal(units: list[tuple[bytes, bool]]) -> None:
    annexb = b"".join((b"\x00\x00\x00\x01" if long else b"\x00\x00\x01") + n for n, long in units)
    assert split_lengths(mp4(annexb)) == [n for n, _ in units]


def test_annexb_to_mp4_drops_leading_junk_and_needs_a_start_code() -> None:
    assert mp4(b"\xff\xee\x00\x00\x01\x65\x88") == b"\x00\x00\x00\x02\x65\x88"
    assert mp4(b"\x65\x88") == b""


def boxes(data: bytes, at: int = 0, end: int | None = None) -> dict[bytes, tuple[int, int]]:
    found, end = {}, len(data) if end is None else end
    while at < end:
        size, kind = struct.unpack_from("!I4s", data, at)
        found[kind] = (at, size)
        at += size
    return found


def test_fragment_layout() -> None:
    samples = [
        sample(b"\x00\x00\x00\x01\x65", 3600, True),
        sample(b"\x00\x00\x00\x01\x41", 3000, False),
    ]
    data = fragment(7, 90_000, samples)
    top = boxes(data)
    assert list(top) == [b"moof", b"mdat"]
    moof_at, moof_size = top[b"moof"]
    inner = boxes(data, moof_at + 8, moof_size)
    assert struct.unpack_from("!I", data, inner[b"mfhd"][0] + 12) == (7,)
    traf = boxes(data, inner[b"traf"][0] + 8, moof_size)
    assert struct.unpack_from("!IQ", data, traf[b"tfdt"][0] + 8) == (1 << 24, 90_000)
    trun = traf[b"trun"][0]
    flags, count, offset = struct.unpack_from("!IIi", data, trun + 8)
    assert (flags, count) == (0x701, 2)
    assert data[offset:] == b"\x00\x00\x00\x01\x65\x00\x00\x00\x01\x41"  # from the moof (at 0)
    entries = struct.unpack_from("!6I", data, trun + 20)
    assert entries == (3600, 5, 0x02000000, 3000, 5, 0x01010000)


def test_fragment_with_composition_offsets() -> None:
    data = fragment(1, 0, [sample(b"\x00\x00\x00\x01\x65", 3600, True, 7200)])
    trun = data.find(b"trun") - 4
    flags, _, _, duration, size, sample_flags, cts = struct.unpack_from("!IIiIIIi", data, trun + 8)
    assert (flags, duration, size, sample_flags, cts) == (0xF01, 3600, 5, 0x02000000, 7200)
