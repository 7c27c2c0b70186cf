"""Start codes, stream ids and stream types of the MPEG-2 program stream (ISO/IEC 13818-1)."""

from __future__ import annotations

from enum import IntEnum

__all__ = [
    "AUDIO_STREAM_IDS",
    "MAX_PES_PACKET_LENGTH",
    "PACK_START_CODE",
    "PADDING_STREAM_ID",
    "PRIVATE_STREAM_1_ID",
    "PRIVATE_STREAM_2_ID",
    "PROGRAM_END_CODE",
    "PSM_STREAM_ID",
    "START_CODE_PREFIX",
    "SYSTEM_HEADER_CODE",
    "VIDEO_STREAM_IDS",
    "StreamType",
    "is_video_type",
]

# ISO/IEC 13818-1 §2.5.3.1 and Table 2-18: start codes are 0x000001 followed by one byte.
START_CODE_PREFIX = b"\x00\x00\x01"
PROGRAM_END_CODE = 0xB9
PACK_START_CODE = 0xBA
SYSTEM_HEADER_CODE = 0xBB
PSM_STREAM_ID = 0xBC
PRIVATE_STREAM_1_ID = 0xBD
PADDING_STREAM_ID = 0xBE
PRIVATE_STREAM_2_ID = 0xBF
# Table 2-18: 110x xxxx is an audio stream, 1110 xxxx a video stream.
AUDIO_STREAM_IDS = range(0xC0, 0xE0)
VIDEO_STREAM_IDS = range(0xE0, 0xF0)
# PES_packet_length is 16 bits and counts the bytes after itself.
MAX_PES_PACKET_LENGTH = 0xFFFF


class StreamType(IntEnum):
    """stream_type values of the PSM (Table 2-34, plus GB/T 28181 Annex C for G.711)."""

    MPEG2_VIDEO = 0x02
    MPEG4_VIDEO = 0x10
    AAC = 0x0F
    H264 = 0x1B
    H265 = 0x24
    SVAC_VIDEO = 0x80
    G711A = 0x90
    G711U = 0x91
    G722 = 0x92
    G723 = 0x93
    G729 = 0x99
    SVAC_AUDIO = 0x9B


_VIDEO_TYPES = frozenset(
    {
        StreamType.MPEG2_VIDEO,
        StreamType.MPEG4_VIDEO,
        StreamType.H264,
        StreamType.H265,
        StreamType.SVAC_VIDEO,
    }
)


def is_video_type(stream_type: int) -> bool:
    return stream_type in _VIDEO_TYPES
