"""RTP over a TCP byte stream, RFC 4571: each packet is preceded by a 16-bit big-endian length.

GB/T 28181 TCP media (active and passive) uses this framing. Real devices sometimes write a few
stray bytes, restart mid-packet after a reconnect, or lose sync after a buggy write; a framer that
trusted every length would then read garbage for ever. So every length is checked for
plausibility (bounds, RTP version 2, the expected SSRC and payload type), and on failure the framer
scans forward for the next plausible header, counting the bytes it skipped.
"""

from __future__ import annotations

import re
import struct

from vigil.protocols.errors import RtpError
from vigil.protocols.rtp import RTP_HEADER_LENGTH

__all__ = ["MAX_FRAME_LENGTH", "Rfc4571Framer", "frame_rfc4571"]

# RFC 4571 §2: LENGTH is 16 bits, so no frame exceeds 65535 octets.
MAX_FRAME_LENGTH = 0xFFFF
_LENGTH = struct.Struct("!H")
_SSRC = struct.Struct("!I")
# Length prefix plus the RTP fixed header: what must be present to judge a candidate.
_PROBE = 2 + RTP_HEADER_LENGTH
# A candidate header has RTP version 2 in the byte after the 2-byte length.
_VERSION_2 = re.compile(rb"[\x80-\xbf]")


def frame_rfc4571(packet: bytes) -> bytes:
    """Prefix one RTP (or RTCP) packet with its RFC 4571 length."""
    if not 0 < len(packet) <= MAX_FRAME_LENGTH:
        raise RtpError(f"RFC 4571 frame length {len(packet)} must be 1..65535")
    return _LENGTH.pack(len(packet)) + packet


class Rfc4571Framer:
    """Feed TCP bytes in, get whole RTP packets out; resynchronises on garbage.

    ``ssrc`` and ``payload_type``, when given, are enforced on every packet; when the SSRC is not
    given, the one seen last is used to judge candidates while resynchronising.
    """

    __slots__ = (
        "_buffer",
        "_hunting",
        "_last_ssrc",
        "_max_length",
        "_min_length",
        "_payload_type",
        "_ssrc",
        "packets",
        "resyncs",
        "skipped_bytes",
    )

    def __init__(
        self,
        *,
        ssrc: int | None = None,
        payload_type: int | None = None,
        min_length: int = RTP_HEADER_LENGTH,
        max_length: int = MAX_FRAME_LENGTH,
    ) -> None:
        if not RTP_HEADER_LENGTH <= min_length <= max_length <= MAX_FRAME_LENGTH:
            raise RtpError("RFC 4571 bounds must satisfy 12 ≤ min_length ≤ max_length ≤ 65535")
        self._ssrc = None if ssrc is None else _SSRC.pack(ssrc)
        self._last_ssrc = self._ssrc
        self._payload_type = payload_type
        self._min_length = min_length
        self._max_length = max_length
        self._buffer = b""
        self._hunting = False
        self.packets = 0
        self.resyncs = 0
        self.skipped_bytes = 0

    def feed(self, data: bytes | bytearray | memoryview) -> list[bytes]:
        """Consume ``data`` and return every packet it completes, in order."""
        buf = self._buffer + bytes(data) if self._buffer else bytes(data)
        out: list[bytes] = []
        at = 0
        end = len(buf)
        while end - at >= _PROBE:
            length = (buf[at] << 8) | buf[at + 1]
            if not self._plausible(buf, at, length, self._ssrc):
                at = self._resync(buf, at)
                continue
            stop = at + 2 + length
            if stop > end:
                break
            packet = buf[at + 2 : stop]
            self._last_ssrc = packet[8:12]
            self._hunting = False
            out.append(packet)
            at = stop
        self._buffer = buf[at:]
        self.packets += len(out)
        return out

    @property
    def buffered(self) -> int:
        """Bytes held while waiting for the rest of a packet."""
        return len(self._buffer)

    def _plausible(self, buf: bytes, at: int, length: int, ssrc: bytes | None) -> bool:
        if not self._min_length <= length <= self._max_length or buf[at + 2] & 0xC0 != 0x80:
            return False
        if self._payload_type is not None and buf[at + 3] & 0x7F != self._payload_type:
            return False
        return ssrc is None or buf[at + 10 : at + 14] == ssrc

    def _resync(self, buf: bytes, at: int) -> int:
        """Return the offset of the next plausible header after ``at`` (or where to wait)."""
        if not self._hunting:
            self._hunting = True
            self.resyncs += 1
        candidate = self._scan(buf, at + 1, self._last_ssrc)
        if candidate < 0 and self._last_ssrc != self._ssrc:
            # The learned SSRC is gone (the device restarted the stream): judge by version only.
            self._last_ssrc = self._ssrc
            candidate = self._scan(buf, at + 1, self._ssrc)
        if candidate < 0:
            # Keep a tail that could still start a header once more bytes arrive.
            candidate = max(at + 1, len(buf) - _PROBE + 1)
        self.skipped_bytes += candidate - at
        return candidate

    def _scan(self, buf: bytes, at: int, ssrc: bytes | None) -> int:
        """Offset of the first plausible or undecidable header at or after ``at``, or -1."""
        while True:
            if ssrc is not None:
                found = buf.find(ssrc, at + 10)
                candidate = -1 if found < 0 else found - 10
            else:
                match = _VERSION_2.search(buf, at + 2)
                candidate = -1 if match is None else match.start() - 2
            if candidate < 0 or len(buf) - candidate < _PROBE:
                return candidate
            length = (buf[candidate] << 8) | buf[candidate + 1]
            if self._plausible(buf, candidate, length, ssrc):
                return candidate
            at = candidate + 1
