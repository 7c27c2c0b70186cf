"""PS over RTP as GB/T 28181 carries it: payload type 96, one frame's pack split over packets.

The camera sets the RTP marker bit on the last packet of each frame, so the receiver can close a
frame without waiting for the next one. A gap in sequence numbers (after the reorder buffer gave
up on a packet) means the PS in progress is broken; the demuxer drops it and waits for the next
pack header.
"""

from __future__ import annotations

from collections.abc import Sequence

from vigil.protocols.errors import RtpError
from vigil.protocols.ps.access_unit import AccessUnit
from vigil.protocols.ps.demux import PsDemuxer
from vigil.protocols.rtp import RTP_HEADER_LENGTH, build_rtp_header, parse_rtp_header

__all__ = ["GB_PS_PAYLOAD_TYPE", "MAX_RTP_PACKET_SIZE", "PsFromRtp", "packetize_rtp"]

# GB/T 28181 SDP: a=rtpmap:96 PS/90000.
GB_PS_PAYLOAD_TYPE = 96
# Fits an Ethernet MTU with IP/UDP headers and room for tunnels; what GB cameras use.
MAX_RTP_PACKET_SIZE = 1400


def packetize_rtp(
    ps: bytes,
    *,
    ssrc: int,
    seq: int,
    timestamp: int,
    payload_type: int = GB_PS_PAYLOAD_TYPE,
    max_packet_size: int = MAX_RTP_PACKET_SIZE,
) -> list[bytes]:
    """Split one frame's PS into RTP packets, marker on the last; the caller advances ``seq``."""
    step = max_packet_size - RTP_HEADER_LENGTH
    if step <= 0:
        raise RtpError(f"RTP packet size {max_packet_size} leaves no room for a payload")
    if not ps:
        return []
    view = memoryview(ps)
    starts = range(0, len(ps), step)
    last = starts[-1]
    return [
        build_rtp_header(payload_type, (seq + i) & 0xFFFF, timestamp, ssrc, at == last)
        + view[at : at + step]
        for i, at in enumerate(starts)
    ]


class PsFromRtp:
    """Feed RTP packets in sequence order (after the reorder buffer); get access units back."""

    __slots__ = ("_expected", "_use_marker", "demuxer", "gaps")

    def __init__(self, demuxer: PsDemuxer | None = None, *, use_marker: bool = True) -> None:
        self.demuxer = demuxer if demuxer is not None else PsDemuxer()
        self._use_marker = use_marker
        self._expected = -1
        self.gaps = 0

    def push(self, packet: bytes | bytearray | memoryview) -> list[AccessUnit]:
        """One RTP packet; raises :class:`RtpError` only if its header is unreadable."""
        seq, _, _, _, marker, start, end = parse_rtp_header(packet)
        return self.push_run(seq, (packet[start:end],), marker)

    def push_run(
        self, seq: int, payloads: Sequence[bytes | bytearray | memoryview], marker: bool
    ) -> list[AccessUnit]:
        """Consecutive packets whose headers the caller has read: the first one's sequence
        number, their payloads in order, the last one's marker.

        A frame's packets usually arrive together and are taken in one call. (They are fed one
        by one, not joined: inside a PES the demuxer only keeps each payload, and a join would
        copy the frame once more.)
        """
        demuxer = self.demuxer
        if seq != self._expected and self._expected >= 0:
            self.gaps += 1
            demuxer.lost()
        self._expected = (seq + len(payloads)) & 0xFFFF
        feed = demuxer.feed
        out: list[AccessUnit] = []
        for payload in payloads:
            out += feed(payload)
        if marker and self._use_marker:
            out += demuxer.end_of_frame()
        return out

    def flush(self) -> list[AccessUnit]:
        return self.demuxer.flush()
