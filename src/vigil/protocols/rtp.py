"""RTP data packets (RFC 3550 §5.1) as a value type, plus the per-packet fast path.

:class:`RtpPacket` is the readable form used by tests, simulators and anything that inspects a
packet. The media receive loop runs for thousands of cameras, so it uses
:func:`parse_rtp_header`, which returns plain integers and payload offsets: no object is built and
the payload is not copied.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from vigil.protocols.errors import RtpError

__all__ = [
    "RTP_HEADER_LENGTH",
    "RTP_VERSION",
    "RtpExtension",
    "RtpHeaderFields",
    "RtpPacket",
    "build_rtp_header",
    "parse_rtp_header",
]

# RFC 3550 §5.1: V=2, the fixed header is 12 octets, up to 15 CSRC identifiers follow it.
RTP_VERSION = 2
RTP_HEADER_LENGTH = 12
_VERSION_BITS = RTP_VERSION << 6
_PADDING_BIT = 0x20
_EXTENSION_BIT = 0x10
_CSRC_COUNT_MASK = 0x0F
_MARKER_BIT = 0x80
_PAYLOAD_TYPE_MASK = 0x7F
_MAX_CSRC = 15
_MAX_PAYLOAD_TYPE = 127
# RFC 3550 §5.3.1: the extension is a 16-bit profile word and a 16-bit length in 32-bit words.
_EXTENSION_HEADER_LENGTH = 4
_MAX_EXTENSION_LENGTH = 0xFFFF * 4
_MAX_PADDING = 255

_FIXED = struct.Struct("!BBHII")
_EXT = struct.Struct("!HH")
_WORD = struct.Struct("!I")

# (seq, timestamp, ssrc, payload_type, marker, payload_offset, payload_end)
RtpHeaderFields = tuple[int, int, int, int, bool, int, int]


def parse_rtp_header(buf: bytes | bytearray | memoryview) -> RtpHeaderFields:
    """Read the fields the receive loop needs without building an object or copying the payload.

    Returns ``(seq, timestamp, ssrc, payload_type, marker, payload_offset, payload_end)``; the
    payload is ``buf[payload_offset:payload_end]`` (CSRCs, extension and padding excluded).
    """
    try:
        b0, b1, seq, timestamp, ssrc = _FIXED.unpack_from(buf)
    except struct.error:
        raise RtpError("RTP packet is shorter than the 12-byte fixed header") from None
    payload_type, marker = b1 & _PAYLOAD_TYPE_MASK, b1 >= _MARKER_BIT
    if b0 == _VERSION_BITS:  # what cameras send: no padding, extension or CSRC
        return seq, timestamp, ssrc, payload_type, marker, RTP_HEADER_LENGTH, len(buf)
    if b0 & 0xC0 != _VERSION_BITS:
        raise RtpError(f"RTP version is {b0 >> 6}, RFC 3550 requires 2")
    offset = RTP_HEADER_LENGTH + 4 * (b0 & _CSRC_COUNT_MASK)
    end = len(buf)
    if b0 & _EXTENSION_BIT:
        if offset + _EXTENSION_HEADER_LENGTH > end:
            raise RtpError("RTP packet has a truncated header extension")
        offset += _EXTENSION_HEADER_LENGTH + 4 * ((buf[offset + 2] << 8) | buf[offset + 3])
    if b0 & _PADDING_BIT:
        if end <= offset:
            raise RtpError("RTP packet has the padding bit set but no padding count")
        padding = buf[end - 1]
        if padding == 0:
            raise RtpError("RTP padding count is 0, RFC 3550 §5.1 counts itself")
        end -= padding
    if offset > end:
        raise RtpError("RTP header (CSRC, extension, padding) is longer than the packet")
    return seq, timestamp, ssrc, payload_type, marker, offset, end


def build_rtp_header(
    payload_type: int, seq: int, timestamp: int, ssrc: int, marker: bool = False
) -> bytes:
    """The 12-byte fixed header with no CSRC, extension or padding: what senders emit."""
    if not 0 <= payload_type <= _MAX_PAYLOAD_TYPE:
        raise RtpError(f"RTP payload type {payload_type} does not fit in 7 bits")
    b1 = payload_type | _MARKER_BIT if marker else payload_type
    try:
        return _FIXED.pack(_VERSION_BITS, b1, seq, timestamp, ssrc)
    except struct.error as exc:
        raise RtpError(f"RTP header field out of range: {exc}") from None


@dataclass(frozen=True, slots=True)
class RtpExtension:
    """The one header extension RFC 3550 §5.3.1 allows: a profile word and opaque 32-bit words."""

    profile: int
    data: bytes = b""

    def __post_init__(self) -> None:
        if not 0 <= self.profile <= 0xFFFF:
            raise RtpError(f"RTP extension profile {self.profile} does not fit in 16 bits")
        if len(self.data) % 4 or len(self.data) > _MAX_EXTENSION_LENGTH:
            raise RtpError("RTP extension data must be a multiple of 4 bytes, at most 262140")


@dataclass(frozen=True, slots=True)
class RtpPacket:
    """One RTP data packet; ``padding`` is the number of padding octets (0 means no P bit)."""

    payload_type: int
    sequence_number: int
    timestamp: int
    ssrc: int
    payload: bytes = b""
    marker: bool = False
    csrc: tuple[int, ...] = ()
    extension: RtpExtension | None = None
    padding: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.payload_type <= _MAX_PAYLOAD_TYPE:
            raise RtpError(f"RTP payload type {self.payload_type} does not fit in 7 bits")
        if not 0 <= self.sequence_number <= 0xFFFF:
            raise RtpError(f"RTP sequence number {self.sequence_number} does not fit in 16 bits")
        words = (
            ("timestamp", self.timestamp),
            ("SSRC", self.ssrc),
            *(("CSRC", c) for c in self.csrc),
        )
        for name, value in words:
            if not 0 <= value <= 0xFFFFFFFF:
                raise RtpError(f"RTP {name} {value} does not fit in 32 bits")
        if len(self.csrc) > _MAX_CSRC:
            raise RtpError(f"RTP packet has {len(self.csrc)} CSRCs, at most 15 fit in CC")
        if not 0 <= self.padding <= _MAX_PADDING:
            raise RtpError(f"RTP padding {self.padding} must be 0..255 octets")

    @property
    def version(self) -> int:
        return RTP_VERSION

    @classmethod
    def parse(cls, data: bytes | bytearray | memoryview) -> RtpPacket:
        seq, timestamp, ssrc, payload_type, marker, offset, end = parse_rtp_header(data)
        buf = bytes(data)
        count = buf[0] & _CSRC_COUNT_MASK
        csrc = struct.unpack_from(f"!{count}I", buf, RTP_HEADER_LENGTH) if count else ()
        extension = None
        if buf[0] & _EXTENSION_BIT:
            at = RTP_HEADER_LENGTH + 4 * count
            profile, words = _EXT.unpack_from(buf, at)
            body = at + _EXTENSION_HEADER_LENGTH
            extension = RtpExtension(profile, buf[body : body + 4 * words])
        return cls(
            payload_type=payload_type,
            sequence_number=seq,
            timestamp=timestamp,
            ssrc=ssrc,
            payload=buf[offset:end],
            marker=marker,
            csrc=tuple(csrc),
            extension=extension,
            padding=len(buf) - end,
        )

    def __bytes__(self) -> bytes:
        b0 = _VERSION_BITS | len(self.csrc)
        if self.padding:
            b0 |= _PADDING_BIT
        if self.extension is not None:
            b0 |= _EXTENSION_BIT
        b1 = self.payload_type | (_MARKER_BIT if self.marker else 0)
        parts = [_FIXED.pack(b0, b1, self.sequence_number, self.timestamp, self.ssrc)]
        parts.extend(_WORD.pack(c) for c in self.csrc)
        if self.extension is not None:
            ext = self.extension
            parts.append(_EXT.pack(ext.profile, len(ext.data) // 4) + ext.data)
        parts.append(self.payload)
        if self.padding:
            parts.append(bytes(self.padding - 1) + bytes((self.padding,)))
        return b"".join(parts)
