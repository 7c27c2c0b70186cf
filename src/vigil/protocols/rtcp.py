"""RTCP control packets (RFC 3550 §6.4–6.6) and compound packets.

A receiver sends RR (and reads the camera's SR to map RTP time to wall-clock time); BYE ends a
stream. Packet types the platform does not act on (APP, feedback) are kept as
:class:`RtcpUnknown`, so a compound packet always serialises back to the bytes it came from.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass

from vigil.protocols.errors import RtpError

__all__ = [
    "RTCP_BYE",
    "RTCP_RR",
    "RTCP_SDES",
    "RTCP_SR",
    "Bye",
    "ReceiverReport",
    "ReportBlock",
    "RtcpPacket",
    "RtcpUnknown",
    "SdesChunk",
    "SenderReport",
    "SourceDescription",
    "parse_rtcp",
    "serialize_rtcp",
]

# RFC 3550 §12.1: RTCP packet types.
RTCP_SR = 200
RTCP_RR = 201
RTCP_SDES = 202
RTCP_BYE = 203

# RFC 3550 §6.4.1: common header V=2 P RC(5) PT(8) length(16, in 32-bit words minus one).
_HEADER = struct.Struct("!BBH")
_VERSION_BITS = 2 << 6
_PADDING_BIT = 0x20
_COUNT_MASK = 0x1F
_MAX_COUNT = 31
# RFC 3550 §6.4.1: sender info is SSRC, NTP timestamp (64), RTP timestamp, packet and octet count.
_SENDER_INFO = struct.Struct("!IQIII")
# Report block: SSRC, fraction lost (8) + cumulative lost (24, signed), highest seq, jitter, LSR,
# DLSR.
_REPORT_BLOCK = struct.Struct("!IIIIII")
_WORD = struct.Struct("!I")
_SDES_END = 0


def _u32(name: str, value: int) -> None:
    if not 0 <= value <= 0xFFFFFFFF:
        raise RtpError(f"RTCP {name} {value} does not fit in 32 bits")


def _pad4(data: bytes) -> bytes:
    return data + bytes(-len(data) % 4)


@dataclass(frozen=True, slots=True)
class ReportBlock:
    """Reception statistics for one source (RFC 3550 §6.4.1); ``packets_lost`` is signed 24-bit."""

    ssrc: int
    fraction_lost: int
    packets_lost: int
    highest_sequence: int
    jitter: int
    lsr: int
    dlsr: int

    def __post_init__(self) -> None:
        if not 0 <= self.fraction_lost <= 0xFF:
            raise RtpError(f"RTCP fraction lost {self.fraction_lost} does not fit in 8 bits")
        if not -0x800000 <= self.packets_lost <= 0x7FFFFF:
            raise RtpError(f"RTCP cumulative lost {self.packets_lost} does not fit in 24 bits")
        for name in ("ssrc", "highest_sequence", "jitter", "lsr", "dlsr"):
            _u32(name, getattr(self, name))

    @classmethod
    def parse(cls, data: bytes, offset: int) -> ReportBlock:
        ssrc, lost_word, highest, jitter, lsr, dlsr = _REPORT_BLOCK.unpack_from(data, offset)
        lost = lost_word & 0xFFFFFF
        if lost & 0x800000:
            lost -= 0x1000000
        return cls(ssrc, lost_word >> 24, lost, highest, jitter, lsr, dlsr)

    def __bytes__(self) -> bytes:
        lost_word = (self.fraction_lost << 24) | (self.packets_lost & 0xFFFFFF)
        return _REPORT_BLOCK.pack(
            self.ssrc, lost_word, self.highest_sequence, self.jitter, self.lsr, self.dlsr
        )


_Reports = tuple[ReportBlock, ...]


def _parse_report(
    body: bytes, head: struct.Struct, count: int, kind: str, what: str
) -> tuple[tuple[int, ...], _Reports, bytes]:
    """An SR or RR body: its fixed ``head`` (``what``), ``count`` report blocks, the extension."""
    if len(body) < head.size:
        raise RtpError(f"RTCP {kind} is shorter than its {head.size}-byte {what}")
    end = head.size + count * _REPORT_BLOCK.size
    if end > len(body):
        raise RtpError(f"RTCP {kind} announces {count} report blocks but is truncated")
    reports = tuple(ReportBlock.parse(body, at) for at in range(head.size, end, _REPORT_BLOCK.size))
    return head.unpack_from(body), reports, body[end:]


def _report_body(head: bytes, reports: _Reports, extension: bytes) -> bytes:
    return b"".join([head, *map(bytes, reports), extension])


def _check_count(kind: str, count: int) -> None:
    if count > _MAX_COUNT:
        raise RtpError(f"RTCP {kind} has {count} items, at most 31 fit in the count field")


@dataclass(frozen=True, slots=True)
class SenderReport:
    """SR (PT 200): the sender's NTP/RTP time pair plus its own reception reports."""

    ssrc: int
    ntp_timestamp: int
    rtp_timestamp: int
    packet_count: int
    octet_count: int
    reports: tuple[ReportBlock, ...] = ()
    extension: bytes = b""

    packet_type = RTCP_SR

    def __post_init__(self) -> None:
        _check_count("SR", len(self.reports))
        if not 0 <= self.ntp_timestamp <= 0xFFFFFFFFFFFFFFFF:
            raise RtpError(f"RTCP NTP timestamp {self.ntp_timestamp} does not fit in 64 bits")
        for name in ("ssrc", "rtp_timestamp", "packet_count", "octet_count"):
            _u32(name, getattr(self, name))

    @classmethod
    def parse(cls, count: int, body: bytes) -> SenderReport:
        info, reports, extension = _parse_report(body, _SENDER_INFO, count, "SR", "sender info")
        ssrc, ntp, rtp_ts, packets, octets = info
        return cls(ssrc, ntp, rtp_ts, packets, octets, reports, extension)

    @property
    def count(self) -> int:
        return len(self.reports)

    def body(self) -> bytes:
        info = _SENDER_INFO.pack(
            self.ssrc, self.ntp_timestamp, self.rtp_timestamp, self.packet_count, self.octet_count
        )
        return _report_body(info, self.reports, self.extension)


@dataclass(frozen=True, slots=True)
class ReceiverReport:
    """RR (PT 201): what a receiver such as Vigil tells the camera about loss and jitter."""

    ssrc: int
    reports: tuple[ReportBlock, ...] = ()
    extension: bytes = b""

    packet_type = RTCP_RR

    def __post_init__(self) -> None:
        _check_count("RR", len(self.reports))
        _u32("ssrc", self.ssrc)

    @classmethod
    def parse(cls, count: int, body: bytes) -> ReceiverReport:
        (ssrc,), reports, extension = _parse_report(body, _WORD, count, "RR", "SSRC")
        return cls(ssrc, reports, extension)

    @property
    def count(self) -> int:
        return len(self.reports)

    def body(self) -> bytes:
        return _report_body(_WORD.pack(self.ssrc), self.reports, self.extension)


@dataclass(frozen=True, slots=True)
class SdesChunk:
    """One source's SDES items as ``(type, value)`` pairs; CNAME is type 1 (RFC 3550 §6.5)."""

    ssrc: int
    items: tuple[tuple[int, bytes], ...] = ()

    def __post_init__(self) -> None:
        _u32("ssrc", self.ssrc)
        for item_type, value in self.items:
            if not 1 <= item_type <= 0xFF or len(value) > 0xFF:
                raise RtpError(f"RTCP SDES item {item_type} needs type 1..255, value ≤ 255 bytes")

    def __bytes__(self) -> bytes:
        items = b"".join(bytes((t, len(v))) + v for t, v in self.items)
        # RFC 3550 §6.5: a null item ends the list and the chunk is padded to 32 bits.
        return _pad4(_WORD.pack(self.ssrc) + items + b"\x00")


def _parse_chunk(body: bytes, at: int) -> tuple[SdesChunk, int]:
    if at + 4 > len(body):
        raise RtpError("RTCP SDES chunk is truncated before its SSRC")
    ssrc = _WORD.unpack_from(body, at)[0]
    at += 4
    items = []
    while True:
        if at >= len(body):
            raise RtpError("RTCP SDES chunk has no terminating null item")
        item_type = body[at]
        if item_type == _SDES_END:
            break
        if at + 2 > len(body) or at + 2 + body[at + 1] > len(body):
            raise RtpError(f"RTCP SDES item {item_type} runs past the end of the packet")
        length = body[at + 1]
        items.append((item_type, body[at + 2 : at + 2 + length]))
        at += 2 + length
    at += 1
    return SdesChunk(ssrc, tuple(items)), at + (-at % 4)


@dataclass(frozen=True, slots=True)
class SourceDescription:
    """SDES (PT 202): CNAME and friends for each listed source."""

    chunks: tuple[SdesChunk, ...] = ()

    packet_type = RTCP_SDES

    def __post_init__(self) -> None:
        _check_count("SDES", len(self.chunks))

    @classmethod
    def parse(cls, count: int, body: bytes) -> SourceDescription:
        chunks = []
        at = 0
        for _ in range(count):
            chunk, at = _parse_chunk(body, at)
            chunks.append(chunk)
        return cls(tuple(chunks))

    @property
    def count(self) -> int:
        return len(self.chunks)

    def body(self) -> bytes:
        return b"".join(map(bytes, self.chunks))


@dataclass(frozen=True, slots=True)
class Bye:
    """BYE (PT 203): the listed sources leave, with an optional reason (RFC 3550 §6.6)."""

    sources: tuple[int, ...] = ()
    reason: bytes = b""

    packet_type = RTCP_BYE

    def __post_init__(self) -> None:
        _check_count("BYE", len(self.sources))
        for ssrc in self.sources:
            _u32("ssrc", ssrc)
        if len(self.reason) > 0xFF:
            raise RtpError("RTCP BYE reason is longer than 255 bytes")

    @classmethod
    def parse(cls, count: int, body: bytes) -> Bye:
        end = 4 * count
        if end > len(body):
            raise RtpError(f"RTCP BYE announces {count} sources but is truncated")
        sources = struct.unpack_from(f"!{count}I", body)
        reason = b""
        if end < len(body):
            length = body[end]
            if end + 1 + length > len(body):
                raise RtpError("RTCP BYE reason runs past the end of the packet")
            reason = body[end + 1 : end + 1 + length]
        return cls(tuple(sources), reason)

    @property
    def count(self) -> int:
        return len(self.sources)

    def body(self) -> bytes:
        ids = b"".join(_WORD.pack(s) for s in self.sources)
        return ids + (_pad4(bytes((len(self.reason),)) + self.reason) if self.reason else b"")


@dataclass(frozen=True, slots=True)
class RtcpUnknown:
    """A packet type Vigil does not interpret (APP, RTPFB, PSFB, XR…), kept verbatim."""

    packet_type: int
    count: int
    payload: bytes

    def __post_init__(self) -> None:
        if not 0 <= self.packet_type <= 0xFF or not 0 <= self.count <= _MAX_COUNT:
            raise RtpError("RTCP packet type must fit in 8 bits and count in 5 bits")
        if len(self.payload) % 4:
            raise RtpError("RTCP packet body must be a multiple of 32 bits")

    def body(self) -> bytes:
        return self.payload


RtcpPacket = SenderReport | ReceiverReport | SourceDescription | Bye | RtcpUnknown

_PARSERS: dict[int, Callable[[int, bytes], RtcpPacket]] = {
    RTCP_SR: SenderReport.parse,
    RTCP_RR: ReceiverReport.parse,
    RTCP_SDES: SourceDescription.parse,
    RTCP_BYE: Bye.parse,
}


def parse_rtcp(data: bytes | bytearray | memoryview) -> list[RtcpPacket]:
    """Split a compound RTCP packet into its parts; padding (P bit) is stripped."""
    buf = bytes(data)
    packets: list[RtcpPacket] = []
    at = 0
    while at < len(buf):
        if at + _HEADER.size > len(buf):
            raise RtpError("RTCP packet is shorter than the 4-byte common header")
        b0, packet_type, words = _HEADER.unpack_from(buf, at)
        if b0 & 0xC0 != _VERSION_BITS:
            raise RtpError(f"RTCP version is {b0 >> 6}, RFC 3550 requires 2")
        end = at + 4 * (words + 1)
        if end > len(buf):
            raise RtpError(f"RTCP length field says {4 * (words + 1)} bytes, only {len(buf) - at}")
        body = buf[at + 4 : end]
        if b0 & _PADDING_BIT:
            padding = buf[end - 1]
            if not 0 < padding <= len(body):
                raise RtpError(f"RTCP padding count {padding} does not fit in the packet")
            body = body[:-padding]
        count = b0 & _COUNT_MASK
        parser = _PARSERS.get(packet_type)
        packets.append(
            parser(count, body) if parser else RtcpUnknown(packet_type, count, _pad4(body))
        )
        at = end
    if not packets:
        raise RtpError("RTCP compound packet is empty")
    return packets


def serialize_rtcp(packets: list[RtcpPacket] | tuple[RtcpPacket, ...]) -> bytes:
    """Concatenate packets into one compound packet (RFC 3550 §6.1), each padded to 32 bits."""
    out = []
    for packet in packets:
        body = packet.body()
        if len(body) % 4:
            raise RtpError("RTCP packet body must be a multiple of 32 bits")
        out.append(_HEADER.pack(_VERSION_BITS | packet.count, packet.packet_type, len(body) // 4))
        out.append(body)
    return b"".join(out)
