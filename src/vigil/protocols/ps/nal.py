"""Just enough of H.264 and H.265 NAL headers to name the codec and spot keyframes.

Many GB/T 28181 cameras send no PSM, so the video codec must be read from the first NAL units of
a frame. The two NAL header layouts overlap, so only unambiguous values decide:

* H.265 (Rec. ITU-T H.265 §7.3.1.2) has a 2-byte header: forbidden bit, 6-bit type, 6-bit layer
  id, 3-bit temporal id + 1. With layer 0 the second byte is 0x01..0x07; the parameter sets,
  AUD, SEI, IRAP and trailing-picture types below never form a valid H.264 header followed by
  such a byte.
* H.264 (Rec. ITU-T H.264 §7.3.1) has a 1-byte header: forbidden bit, 2-bit nal_ref_idc, 5-bit
  type. SPS, PPS and IDR need nal_ref_idc ≠ 0; AUD and SEI need it to be 0.

Only the first bytes of a frame are scanned (parameter sets and the first slice come first).
"""

from __future__ import annotations

from collections.abc import Iterator

from vigil.protocols.ps.constants import START_CODE_PREFIX, StreamType

__all__ = [
    "SCAN_LIMIT",
    "access_unit_start",
    "guess_video_type",
    "is_keyframe",
    "opens_access_unit",
]

SCAN_LIMIT = 4096
_LONG_START_CODE = b"\x00" + START_CODE_PREFIX
_MAX_NALS = 8

# H.265 Table 7-1: first header byte (type << 1) that identifies H.265 when layer id is 0.
# TRAIL_N, TRAIL_R, IDR_W_RADL, IDR_N_LP, CRA, VPS, SPS, PPS, AUD, prefix SEI.
_H265_TYPES = (0, 1, 19, 20, 21, 32, 33, 34, 35, 39)
_H265_FIRST_BYTES = frozenset(t << 1 for t in _H265_TYPES)
# H.264 Table 7-1: header bytes that are valid H.264 and never valid H.265 as listed above.
_H264_FIRST_BYTES = frozenset(
    {0x09, 0x06}  # AUD, SEI (nal_ref_idc 0)
    | {nri << 5 | t for nri in (1, 2, 3) for t in (5, 7, 8)}  # IDR, SPS, PPS
    | {nri << 5 | 1 for nri in range(4)}  # non-IDR slice
)
# H.264: IDR slice (5) or SPS (7). H.265: IRAP pictures are types 16..23; VPS/SPS are 32/33.
_H264_KEY = frozenset({5, 7})
_H265_KEY = frozenset({*range(16, 24), 32, 33})

# NAL types that may only open an access unit (H.264 §7.4.1.2.3: AUD, SEI, SPS, PPS precede the
# first slice; H.265 §7.4.2.4.4: AUD, VPS, SPS, PPS, prefix SEI and reserved 41..44, 48..55).
_H264_AU_OPENERS = frozenset({6, 7, 8, 9})
_H264_SLICES = frozenset({1, 5})
# H.265 Table 7-1: NAL types below 32 are slices (VCL).
_H265_FIRST_NON_VCL = 32
_H265_AU_OPENERS = frozenset({32, 33, 34, 35, 39, *range(41, 45), *range(48, 56)})


def _opens(h265: bool, data: bytes, at: int) -> bool:
    """Whether the NAL after the 3-byte start code at ``at`` opens an access unit.

    A slice opens a picture when first_mb_in_slice is 0 (H.264) or first_slice_segment_in_pic_flag
    is 1 (H.265): the top bit of the byte after the NAL header.
    """
    first = data[at + 3]
    if h265:
        nal_type = (first >> 1) & 0x3F
        return nal_type in _H265_AU_OPENERS or (nal_type < 32 and data[at + 5] >= 0x80)
    nal_type = first & 0x1F
    return nal_type in _H264_AU_OPENERS or (nal_type in _H264_SLICES and data[at + 4] >= 0x80)


def opens_access_unit(stream_type: int, data: bytes, at: int) -> bool:
    """Whether ``data[at:]`` begins with a start code (3 or 4 bytes) that opens an access unit."""
    if data.startswith(_LONG_START_CODE, at):
        at += 1
    elif not data.startswith(START_CODE_PREFIX, at):
        return False
    return at + 6 <= len(data) and _opens(stream_type == StreamType.H265, data, at)


def access_unit_start(stream_type: int, data: bytes) -> int:
    """Offset of the first access unit that begins in ``data`` (its start code), or 0.

    General-purpose muxers (FFmpeg's) cut PES packets anywhere, so a PES whose header carries a
    new PTS may begin with the tail of the previous frame.
    """
    h265 = stream_type == StreamType.H265
    at = data.find(START_CODE_PREFIX)
    while at >= 0 and at + 6 <= len(data):
        if _opens(h265, data, at):
            return at - 1 if at and data[at - 1] == 0 else at
        at = data.find(START_CODE_PREFIX, at + 3)
    return 0


def _nal_headers(data: bytes) -> Iterator[tuple[int, int]]:
    """The first two bytes after each of the first few start codes in the scanned prefix.

    Lazy: a caller that has its answer stops the scan (each step is a search of the frame).
    """
    limit = min(len(data), SCAN_LIMIT)
    at = data.find(START_CODE_PREFIX, 0, limit)
    for _ in range(_MAX_NALS):
        if at < 0:
            return
        at += 3
        if at + 2 > len(data):
            return
        yield data[at], data[at + 1]
        at = data.find(START_CODE_PREFIX, at, limit)


def guess_video_type(data: bytes) -> StreamType | None:
    """H.264 or H.265 from the NAL headers at the start of an Annex B frame; None if unsure."""
    for first, second in _nal_headers(data):
        if first in _H265_FIRST_BYTES and 1 <= second <= 7:
            return StreamType.H265
        if first in _H264_FIRST_BYTES:
            return StreamType.H264
    return None


def is_keyframe(stream_type: int, data: bytes) -> bool:
    """Whether the frame starts a GOP: an IDR/IRAP picture or leading parameter sets.

    The NAL units after the first slice are not looked at: every slice of a picture is of the
    same kind, and parameter sets come before it.
    """
    if stream_type == StreamType.H264:
        for first, _ in _nal_headers(data):
            nal_type = first & 0x1F
            if nal_type in _H264_KEY:
                return True
            if nal_type in _H264_SLICES:
                return False
        return False
    if stream_type == StreamType.H265:
        for first, _ in _nal_headers(data):
            nal_type = (first >> 1) & 0x3F
            if nal_type in _H265_KEY:
                return True
            if nal_type < _H265_FIRST_NON_VCL:
                return False
        return False
    return False
