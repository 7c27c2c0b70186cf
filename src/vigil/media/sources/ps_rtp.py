"""GB/T 28181 PS over RTP to media packets: RTP → reorder buffer → PS demuxer → MediaPacket.

This is the per-packet hot path of every GB camera, so it does no more than it must: one header
parse to order the packet, the demuxer's start-code scan, and an object per *frame*, not per
packet. The transport (UDP, TCP passive or active) is someone else's job; it calls
``push_batch`` with the RTP packets of one read and their arrival time.

:class:`PsRtpDepacketizer` here is the reference, built from :mod:`vigil.protocols` in Python;
:mod:`.ps_rtp_compiled` has the same behaviour with its per-packet part in C, and
``make_depacketizer`` there picks it when it was built.

Devices often ignore the SSRC offered in the INVITE, so the first SSRC seen on the endpoint is
locked onto and packets from any other (a stale stream still sending to a reused port) are
counted and dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from vigil.media.packet import Codec, MediaPacket
from vigil.media.sources.base import SourceStats
from vigil.protocols.errors import RtpError
from vigil.protocols.ps import AccessUnit, PsFromRtp, StreamType
from vigil.protocols.rtp import parse_rtp_header
from vigil.protocols.rtp_reorder import ReorderBuffer

__all__ = ["CODECS", "FrameEmitter", "PsRtpDepacketizer"]

log = logging.getLogger(__name__)

CODECS: dict[int, Codec] = {
    StreamType.H264: Codec.H264,
    StreamType.H265: Codec.HEVC,
    StreamType.AAC: Codec.AAC,
    StreamType.G711A: Codec.PCM_ALAW,
    StreamType.G711U: Codec.PCM_MULAW,
}
"""PSM stream types Vigil passes on; others (SVAC, G.722…) are counted and skipped."""


class FrameEmitter:
    """What both implementations share: access units to media packets, the stream's counters."""

    __slots__ = ("_deliver", "_last_pts", "stats", "unsupported")

    def __init__(
        self,
        deliver: Callable[[MediaPacket], None],
        *,
        reorder_depth: int = 64,
        reorder_delay: float = 0.1,
    ) -> None:
        self._deliver = deliver
        self._last_pts: dict[int, int] = {}
        self.stats = SourceStats()
        self.unsupported = 0
        self._setup(reorder_depth, reorder_delay)

    def _setup(self, reorder_depth: int, reorder_delay: float) -> None:
        """The implementation's own state; its reordering holds up to ``reorder_depth`` packets
        for up to ``reorder_delay`` seconds."""
        raise NotImplementedError

    def set_deliver(self, deliver: Callable[[MediaPacket], None]) -> None:
        self._deliver = deliver

    def push_batch(self, packets: Iterable[bytes], now: float) -> None:
        """RTP packets that arrived together (one read of a socket) at ``now``."""
        raise NotImplementedError

    def push(self, packet: bytes, now: float) -> None:
        """One RTP packet that arrived at ``now`` (UTC epoch seconds)."""
        self.push_batch((packet,), now)

    def _emit(self, units: list[AccessUnit], now: float) -> None:
        for u in units:
            self._emit_unit(u.stream_type, u.stream_id, u.pts, u.dts, u.data, u.keyframe, now)

    def _emit_unit(
        self,
        stream_type: int,
        stream_id: int,
        pts: int | None,
        dts: int | None,
        data: bytes,
        keyframe: bool,
        now: float,
    ) -> None:
        """One access unit (as the demuxer makes it) to a media packet for ``deliver``."""
        codec = CODECS.get(stream_type)
        if codec is None:
            self.unsupported += 1
            return
        if pts is None:
            pts = self._last_pts.get(stream_id, 0)
        else:
            self._last_pts[stream_id] = pts
        self.stats.frames += 1
        self._deliver(MediaPacket(codec, pts, pts if dts is None else dts, keyframe, data, now))


class PsRtpDepacketizer(FrameEmitter):
    """Feed RTP packets in arrival order; complete frames go to ``deliver`` (pure Python)."""

    __slots__ = ("_ps", "_reorder", "_ssrc", "foreign", "malformed")

    def _setup(self, reorder_depth: int, reorder_delay: float) -> None:
        self._reorder: ReorderBuffer[tuple[int, bool, bytes]] = ReorderBuffer(
            depth=reorder_depth, max_delay=reorder_delay
        )
        self._ps = PsFromRtp()
        self._ssrc: int | None = None
        self.foreign = 0
        self.malformed = 0

    @property
    def ssrc(self) -> int | None:
        """The SSRC locked onto (the first one seen), or None before any packet."""
        return self._ssrc

    @property
    def gaps(self) -> int:
        """Breaks in the sequence the demuxer was told about (packets given up as lost)."""
        return self._ps.gaps

    def push_batch(self, packets: Iterable[bytes], now: float) -> None:
        """RTP packets that arrived together (one read of a socket) at ``now``."""
        reorder, locked = self._reorder, self._ssrc
        ordered: list[tuple[int, bool, bytes]] = []
        count = size = 0
        for packet in packets:
            try:
                seq, timestamp, ssrc, _, marker, start, end = parse_rtp_header(packet)
            except RtpError:
                self.malformed += 1
                continue
            if ssrc != locked:
                if locked is not None:
                    self.foreign += 1
                    continue
                self._ssrc = locked = ssrc
            count += 1
            size += len(packet)
            ordered += reorder.push(seq, timestamp, (seq, marker, packet[start:end]), now)
        if not count:  # foreign or malformed packets do not keep the stream alive
            return
        stats = self.stats
        stats.packets += count
        stats.bytes += size
        stats.last_arrival = now
        stats.lost = reorder.lost
        if ordered:
            self._demux(ordered, now)

    def flush(self, now: float) -> None:
        """End of stream: release what the reorder buffer and the demuxer still hold."""
        self._demux(self._reorder.flush(), now)
        self._emit(self._ps.flush(), now)

    def _demux(self, ordered: list[tuple[int, bool, bytes]], now: float) -> None:
        """Demux packets in order, a run of consecutive ones (up to a marker) at a time."""
        ps = self._ps
        run: list[bytes] = []
        first = 0
        for seq, marker, payload in ordered:
            if run and seq != (first + len(run)) & 0xFFFF:
                self._emit(ps.push_run(first, run, False), now)
                run = []
            if not run:
                first = seq
            run.append(payload)
            if marker:
                self._emit(ps.push_run(first, run, True), now)
                run = []
        if run:
            self._emit(ps.push_run(first, run, False), now)
