"""Pack header, system header and program stream map (ISO/IEC 13818-1 §2.5.3–2.5.4).

Parsing is liberal where cameras are sloppy: marker bits and the PSM CRC are not checked (many GB
devices write a zero CRC). Serialising is strict: markers set, CRC computed.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from vigil.protocols.errors import PsError
from vigil.protocols.ps.constants import (
    PACK_START_CODE,
    PSM_STREAM_ID,
    START_CODE_PREFIX,
    SYSTEM_HEADER_CODE,
)

__all__ = [
    "MAX_PACK_STUFFING",
    "PackHeader",
    "ProgramStreamMap",
    "PsmEntry",
    "SystemHeader",
    "SystemHeaderStream",
    "crc32_mpeg2",
]

_PACK_CODE = START_CODE_PREFIX + bytes((PACK_START_CODE,))
_SYSTEM_CODE = START_CODE_PREFIX + bytes((SYSTEM_HEADER_CODE,))
_PSM_CODE = START_CODE_PREFIX + bytes((PSM_STREAM_ID,))
# §2.5.3.3: an MPEG-2 pack header is 14 bytes plus up to 7 stuffing bytes; MPEG-1's is 12.
_MPEG2_PACK_LENGTH = 14
_MPEG1_PACK_LENGTH = 12
MAX_PACK_STUFFING = 7
_U16 = struct.Struct("!H")
_U32 = struct.Struct("!I")
_PSM_ENTRY = struct.Struct("!BBH")


def _crc_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else crc << 1
        table.append(crc & 0xFFFFFFFF)
    return tuple(table)


_CRC_TABLE = _crc_table()


def crc32_mpeg2(data: bytes) -> int:
    """CRC-32/MPEG-2 (Annex A: polynomial 0x04C11DB7, initial 0xFFFFFFFF, not reflected)."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ _CRC_TABLE[(crc >> 24) ^ byte]
    return crc


def _expect(data: bytes, code: bytes, what: str, minimum: int) -> None:
    if len(data) < minimum:
        raise PsError(f"{what} needs {minimum} bytes, got {len(data)}")
    if data[:4] != code:
        raise PsError(f"{what} must start with {code.hex()}, got {data[:4].hex()}")


def _length_framed(data: bytes, code: bytes, what: str, minimum: int, short: str) -> int:
    """Check the start code and the 16-bit length after it (``short`` names the structure in a
    length error); where the structure ends."""
    _expect(data, code, what, minimum)
    end: int = 6 + _U16.unpack_from(data, 4)[0]
    if end > len(data) or end < minimum:
        raise PsError(f"{short} length {end - 6} is not {minimum - 6}..{len(data) - 6}")
    return end


def _scr_bits(scr: int, at: int) -> int:
    """The 33-bit SCR base as its 3, 15 and 15 bit parts with a marker bit after the first two,
    the last part starting at bit ``at`` (1 in an MPEG-1 pack header, 11 in an MPEG-2 one)."""
    return (
        (scr >> 30) << (at + 32)
        | 1 << (at + 31)
        | ((scr >> 15) & 0x7FFF) << (at + 16)
        | 1 << (at + 15)
        | (scr & 0x7FFF) << at
    )


def _scr_of(bits: int, at: int) -> int:
    """The SCR base that :func:`_scr_bits` wrote at ``at``, markers skipped."""
    return (
        ((bits >> (at + 32)) & 7) << 30
        | ((bits >> (at + 16)) & 0x7FFF) << 15
        | (bits >> at) & 0x7FFF
    )


@dataclass(frozen=True, slots=True)
class PackHeader:
    """A pack header: SCR (90 kHz base + 27 MHz extension), mux rate in 50 byte/s units."""

    scr_base: int
    scr_extension: int = 0
    mux_rate: int = 0
    stuffing: int = 0
    mpeg1: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.scr_base < 1 << 33 or not 0 <= self.scr_extension < 300:
            raise PsError("pack SCR base must fit in 33 bits and its extension be 0..299")
        if not 0 <= self.mux_rate < 1 << 22:
            raise PsError(f"pack mux rate {self.mux_rate} does not fit in 22 bits")
        if not 0 <= self.stuffing <= MAX_PACK_STUFFING or (self.mpeg1 and self.stuffing):
            raise PsError("pack stuffing must be 0..7 bytes, and 0 for MPEG-1")

    @property
    def size(self) -> int:
        return _MPEG1_PACK_LENGTH if self.mpeg1 else _MPEG2_PACK_LENGTH + self.stuffing

    @classmethod
    def parse(cls, data: bytes) -> PackHeader:
        _expect(data, _PACK_CODE, "pack header", _MPEG1_PACK_LENGTH)
        marker = data[4] >> 6
        if marker == 0b01:
            if len(data) < _MPEG2_PACK_LENGTH:
                raise PsError(f"MPEG-2 pack header needs 14 bytes, got {len(data)}")
            bits = int.from_bytes(data[4:10], "big")
            scr = _scr_of(bits, 11)
            stuffing = data[13] & 0x07
            if len(data) < _MPEG2_PACK_LENGTH + stuffing:
                raise PsError(f"pack header announces {stuffing} stuffing bytes, data ends")
            mux_rate = int.from_bytes(data[10:13], "big") >> 2
            return cls(scr, (bits >> 1) & 0x1FF, mux_rate, stuffing)
        if marker == 0b00 and data[4] >> 4 == 0b0010:
            bits = int.from_bytes(data[4:9], "big")
            scr = _scr_of(bits, 1)
            mux_rate = (int.from_bytes(data[9:12], "big") >> 1) & 0x3FFFFF
            return cls(scr, mux_rate=mux_rate, mpeg1=True)
        raise PsError(
            f"pack header byte 4 is {data[4]:#04x}: neither MPEG-2 '01' nor MPEG-1 '0010'"
        )

    def __bytes__(self) -> bytes:
        scr = self.scr_base
        if self.mpeg1:
            bits = 0b0010 << 36 | _scr_bits(scr, 1) | 1
            rate = 1 << 23 | self.mux_rate << 1 | 1
            return _PACK_CODE + bits.to_bytes(5, "big") + rate.to_bytes(3, "big")
        bits = 0b01 << 46 | _scr_bits(scr, 11) | 1 << 10 | self.scr_extension << 1 | 1
        tail = (self.mux_rate << 2 | 0b11).to_bytes(3, "big") + bytes((0xF8 | self.stuffing,))
        return _PACK_CODE + bits.to_bytes(6, "big") + tail + b"\xff" * self.stuffing


@dataclass(frozen=True, slots=True)
class SystemHeaderStream:
    """One P-STD buffer bound of the system header (§2.5.3.6)."""

    stream_id: int
    buffer_bound_scale: int
    buffer_size_bound: int

    def __post_init__(self) -> None:
        if not 0xB8 <= self.stream_id <= 0xFF or self.buffer_bound_scale not in (0, 1):
            raise PsError("system header stream id must be ≥ 0xB8 and the bound scale 0 or 1")
        if not 0 <= self.buffer_size_bound < 1 << 13:
            raise PsError(f"P-STD buffer size bound {self.buffer_size_bound} exceeds 13 bits")


@dataclass(frozen=True, slots=True)
class SystemHeader:
    """The system header (§2.5.3.5): bounds a decoder needs, listed per stream."""

    rate_bound: int
    audio_bound: int
    video_bound: int
    streams: tuple[SystemHeaderStream, ...] = ()
    fixed: bool = False
    csps: bool = False
    audio_lock: bool = True
    video_lock: bool = True
    packet_rate_restriction: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.rate_bound < 1 << 22:
            raise PsError(f"system header rate bound {self.rate_bound} exceeds 22 bits")
        if not 0 <= self.audio_bound <= 32 or not 0 <= self.video_bound <= 16:
            raise PsError("system header audio bound must be 0..32 and video bound 0..16")

    @classmethod
    def parse(cls, data: bytes) -> SystemHeader:
        end = _length_framed(data, _SYSTEM_CODE, "system header", 12, "system header")
        rate_bound = (int.from_bytes(data[6:9], "big") >> 1) & 0x3FFFFF
        b9, b10, b11 = data[9], data[10], data[11]
        streams = []
        at = 12
        while at + 3 <= end and data[at] & 0x80:
            scale_size = _U16.unpack_from(data, at + 1)[0]
            streams.append(
                SystemHeaderStream(data[at], (scale_size >> 13) & 1, scale_size & 0x1FFF)
            )
            at += 3
        return cls(
            rate_bound=rate_bound,
            audio_bound=b9 >> 2,
            video_bound=b10 & 0x1F,
            streams=tuple(streams),
            fixed=bool(b9 & 2),
            csps=bool(b9 & 1),
            audio_lock=bool(b10 & 0x80),
            video_lock=bool(b10 & 0x40),
            packet_rate_restriction=bool(b11 & 0x80),
        )

    def __bytes__(self) -> bytes:
        flags = self.audio_bound << 2 | self.fixed << 1 | self.csps
        locks = self.audio_lock << 7 | self.video_lock << 6 | 1 << 5 | self.video_bound
        body = [
            (1 << 23 | self.rate_bound << 1 | 1).to_bytes(3, "big"),
            bytes((flags, locks, self.packet_rate_restriction << 7 | 0x7F)),
        ]
        for s in self.streams:
            word = 0b11 << 14 | s.buffer_bound_scale << 13 | s.buffer_size_bound
            body.append(bytes((s.stream_id,)) + _U16.pack(word))
        payload = b"".join(body)
        return _SYSTEM_CODE + _U16.pack(len(payload)) + payload


@dataclass(frozen=True, slots=True)
class PsmEntry:
    """One elementary stream of the PSM: its stream_type, stream id and descriptors."""

    stream_type: int
    stream_id: int
    info: bytes = b""

    def __post_init__(self) -> None:
        if not 0 <= self.stream_type <= 0xFF or not 0 <= self.stream_id <= 0xFF:
            raise PsError("PSM stream type and elementary stream id must fit in 8 bits")
        if len(self.info) > 0xFFFF:
            raise PsError("PSM elementary stream info is longer than 65535 bytes")


@dataclass(frozen=True, slots=True)
class ProgramStreamMap:
    """The PSM (§2.5.4): which stream id carries which codec (0x1B H.264, 0x24 H.265, …)."""

    entries: tuple[PsmEntry, ...] = ()
    version: int = 0
    current_next: bool = True
    program_info: bytes = b""

    def __post_init__(self) -> None:
        if not 0 <= self.version < 32:
            raise PsError(f"PSM version {self.version} does not fit in 5 bits")

    @classmethod
    def parse(cls, data: bytes) -> ProgramStreamMap:
        end = _length_framed(data, _PSM_CODE, "program stream map", 16, "PSM")
        info_end = 10 + _U16.unpack_from(data, 8)[0]
        if info_end + 2 > end - 4:
            raise PsError("PSM program_stream_info_length runs past the map")
        # Cameras miscount elementary_stream_map_length; never read past the CRC.
        map_end = min(info_end + 2 + _U16.unpack_from(data, info_end)[0], end - 4)
        entries = []
        at = info_end + 2
        while at + _PSM_ENTRY.size <= map_end:
            stream_type, stream_id, info_length = _PSM_ENTRY.unpack_from(data, at)
            at += _PSM_ENTRY.size
            if at + info_length > map_end:
                raise PsError(f"PSM entry for stream {stream_id:#04x} runs past the map")
            entries.append(PsmEntry(stream_type, stream_id, data[at : at + info_length]))
            at += info_length
        return cls(tuple(entries), data[6] & 0x1F, bool(data[6] & 0x80), data[10:info_end])

    def stream_types(self) -> dict[int, int]:
        return {e.stream_id: e.stream_type for e in self.entries}

    def __bytes__(self) -> bytes:
        es_map = b"".join(
            _PSM_ENTRY.pack(e.stream_type, e.stream_id, len(e.info)) + e.info for e in self.entries
        )
        body = b"".join(
            [
                bytes((self.current_next << 7 | 0x60 | self.version, 0xFF)),
                _U16.pack(len(self.program_info)),
                self.program_info,
                _U16.pack(len(es_map)),
                es_map,
            ]
        )
        head = _PSM_CODE + _U16.pack(len(body) + 4) + body
        return head + _U32.pack(crc32_mpeg2(head))
