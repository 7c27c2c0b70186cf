"""PES packets (ISO/IEC 13818-1 §2.4.3.6–2.4.3.7): the envelope around elementary stream data.

:func:`read_pes_header` is the shared reader: the demuxer calls it in place on its buffer, and
:meth:`PesPacket.parse` wraps it. Both MPEG-2 headers and MPEG-1 headers (stuffing, STD buffer,
PTS/DTS, found in old encoders) are read; PTS and DTS are 33-bit 90 kHz ticks.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from vigil.protocols.errors import PsError
from vigil.protocols.ps.constants import (
    MAX_PES_PACKET_LENGTH,
    PADDING_STREAM_ID,
    PRIVATE_STREAM_2_ID,
    PSM_STREAM_ID,
    START_CODE_PREFIX,
    VIDEO_STREAM_IDS,
)

__all__ = ["PES_HEADER_LENGTH", "PesPacket", "encode_timestamp", "read_pes_header"]

# §2.4.3.7 Table 2-21: these stream ids carry no optional PES header.
_NO_OPTIONAL_HEADER = frozenset(
    {PSM_STREAM_ID, PADDING_STREAM_ID, PRIVATE_STREAM_2_ID, 0xF0, 0xF1, 0xF2, 0xF8, 0xFF}
)
# Start code (4) + PES_packet_length (2) + flags (2) + PES_header_data_length (1).
PES_HEADER_LENGTH = 9
_PTS_ONLY = 0b10
_PTS_DTS = 0b11
_MPEG1_MAX_STUFFING = 16
_TIMESTAMP_MASK = (1 << 33) - 1
_U16 = struct.Struct("!H")

# (pts, dts, payload offset)
PesHeaderFields = tuple[int | None, int | None, int]


def _timestamp(b: bytes, at: int) -> int:
    return (
        ((b[at] >> 1) & 7) << 30
        | b[at + 1] << 22
        | (b[at + 2] >> 1) << 15
        | b[at + 3] << 7
        | b[at + 4] >> 1
    )


def encode_timestamp(prefix: int, ts: int) -> bytes:
    """Five bytes of PTS or DTS with its 4-bit prefix and marker bits (§2.4.3.7)."""
    return bytes(
        (
            prefix << 4 | ((ts >> 30) & 7) << 1 | 1,
            (ts >> 22) & 0xFF,
            (ts >> 14) & 0xFE | 1,
            (ts >> 7) & 0xFF,
            (ts << 1) & 0xFE | 1,
        )
    )


def _read_mpeg1(buf: bytes, at: int, end: int) -> PesHeaderFields | None:
    """MPEG-1 (ISO/IEC 11172-1 §2.4.3.3) header after the length field, or None if incomplete."""
    limit = at + _MPEG1_MAX_STUFFING
    while at < end and buf[at] == 0xFF:
        at += 1
        if at > limit:
            raise PsError("MPEG-1 PES header has more than 16 stuffing bytes")
    if at >= end:
        return None
    if buf[at] >> 6 == 0b01:
        at += 2
        if at >= end:
            return None
    kind = buf[at] >> 4
    if kind == 0b0010:
        return (_timestamp(buf, at), None, at + 5) if at + 5 <= end else None
    if kind == 0b0011:
        return (_timestamp(buf, at), _timestamp(buf, at + 5), at + 10) if at + 10 <= end else None
    if buf[at] == 0x0F:
        return None, None, at + 1
    raise PsError(f"MPEG-1 PES header byte {buf[at]:#04x} is not a PTS/DTS flag or 0x0f")


def read_pes_header(buf: bytes, at: int, end: int) -> PesHeaderFields | None:
    """Read the PES header whose start code is at ``buf[at]``; None when ``end`` comes too soon.

    Only for stream ids that carry the optional header (audio, video, private stream 1).
    """
    if at + PES_HEADER_LENGTH > end:
        return None
    flags = buf[at + 6]
    if flags >> 6 != 0b10:
        return _read_mpeg1(buf, at + 6, end)
    payload = at + PES_HEADER_LENGTH + buf[at + 8]
    if payload > end:
        return None
    pts_dts = buf[at + 7] >> 6
    if pts_dts == _PTS_ONLY:
        if payload < at + 14:
            raise PsError("PES header announces a PTS but its header data is under 5 bytes")
        return _timestamp(buf, at + 9), None, payload
    if pts_dts == _PTS_DTS:
        if payload < at + 19:
            raise PsError("PES header announces PTS and DTS but its header data is under 10 bytes")
        return _timestamp(buf, at + 9), _timestamp(buf, at + 14), payload
    if pts_dts == 0b01:
        raise PsError("PES PTS_DTS_flags is '01', which §2.4.3.7 forbids")
    return None, None, payload


@dataclass(frozen=True, slots=True)
class PesPacket:
    """One PES packet; ``pts``/``dts`` are 90 kHz ticks or None."""

    stream_id: int
    payload: bytes
    pts: int | None = None
    dts: int | None = None
    data_alignment: bool = False

    def __post_init__(self) -> None:
        if not 0xBC <= self.stream_id <= 0xFF:
            raise PsError(f"PES stream id {self.stream_id:#x} must be 0xbc..0xff")
        for name, ts in (("PTS", self.pts), ("DTS", self.dts)):
            if ts is not None and not 0 <= ts <= _TIMESTAMP_MASK:
                raise PsError(f"PES {name} {ts} does not fit in 33 bits")
        if self.dts is not None and self.pts is None:
            raise PsError("PES DTS without PTS is forbidden (§2.4.3.7)")
        if self.stream_id in _NO_OPTIONAL_HEADER and (self.pts is not None or self.data_alignment):
            raise PsError(f"PES stream {self.stream_id:#x} has no optional header for PTS/flags")

    @classmethod
    def parse(cls, data: bytes) -> PesPacket:
        if len(data) < 6 or data[:3] != START_CODE_PREFIX:
            raise PsError("PES packet must start with 000001 and a stream id")
        stream_id = data[3]
        if stream_id < 0xBC:
            raise PsError(f"start code {stream_id:#04x} is not a PES stream id (0xbc..0xff)")
        length = _U16.unpack_from(data, 4)[0]
        end = 6 + length if length else len(data)
        if end > len(data):
            raise PsError(f"PES_packet_length {length} runs past the {len(data) - 6} bytes given")
        if stream_id in _NO_OPTIONAL_HEADER:
            return cls(stream_id, data[6:end])
        fields = read_pes_header(data, 0, end)
        if fields is None:
            raise PsError("PES header is longer than its PES_packet_length")
        pts, dts, payload = fields
        alignment = data[6] >> 6 == 0b10 and bool(data[6] & 0x04)
        return cls(stream_id, data[payload:end], pts, dts, alignment)

    def __bytes__(self) -> bytes:
        if self.stream_id in _NO_OPTIONAL_HEADER:
            header = b""
        else:
            fields = b""
            if self.pts is not None:
                prefix = 0b0011 if self.dts is not None else 0b0010
                fields = encode_timestamp(prefix, self.pts)
                if self.dts is not None:
                    fields += encode_timestamp(0b0001, self.dts)
            flags = 0x80 | (0x04 if self.data_alignment else 0)
            pts_dts = (_PTS_DTS if self.dts is not None else _PTS_ONLY) if fields else 0
            header = bytes((flags, pts_dts << 6, len(fields))) + fields
        length = len(header) + len(self.payload)
        if length > MAX_PES_PACKET_LENGTH:
            if self.stream_id not in VIDEO_STREAM_IDS:
                raise PsError(f"PES packet of {length} bytes exceeds 65535 (only video may be 0)")
            length = 0
        start = START_CODE_PREFIX + bytes((self.stream_id,)) + _U16.pack(length)
        return start + header + self.payload
