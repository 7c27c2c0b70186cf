"""GB/T 28181 PS over RTP to media packets: RTP → reorder buffer → PS demuxer → MediaPacket.

This is the per-packet hot path of every GB camera, so it does no more than it must: one header
parse to order the packet, the demuxer's start-code scan, and an object per *frame*, not per
packet. The transport (UDP, TCP passive or active) is someone else's job; it calls
``push_batch`` with the RTP packets of one read and their arrival time.

Two implementations with one behaviour: :class:`PsRtpDepacketizer` is the reference, built from
:mod:`vigil.protocols` in Python; :class:`CompiledPsRtpDepacketizer` does the per-packet part
(header, SSRC, reorder, joining a frame's payloads) in C (:mod:`vigil.media.accel`) and hands the
demuxer one chunk per frame instead of one per packet. :func:`make_depacketizer` picks the
compiled one when it was built. Differential tests hold them to the same frames and counters.

Devices often ignore the SSRC offered in the INVITE, so the first SSRC seen on the endpoint is
locked onto and packets from any other (a stale stream still sending to a reused port) are
counted and dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from vigil.media import accel
from vigil.media.packet import Codec, MediaPacket
from vigil.media.sources.base import SourceStats
from vigil.protocols.errors import RtpError
from vigil.protocols.ps import AccessUnit, PsDemuxer, PsFromRtp, StreamType
from vigil.protocols.rtp import parse_rtp_header
from vigil.protocols.rtp_reorder import ReorderBuffer

__all__ = [
    "CODECS",
    "CompiledPsRtpDepacketizer",
    "Depacketizer",
    "PsRtpDepacketizer",
    "make_depacketizer",
]

log = logging.getLogger(__name__)

CODECS: dict[int, Codec] = {
    StreamType.H264: Codec.H264,
    StreamType.H265: Codec.HEVC,
    StreamType.AAC: Codec.AAC,
    StreamType.G711A: Codec.PCM_ALAW,
    StreamType.G711U: Codec.PCM_MULAW,
}
"""PSM stream types Vigil passes on; others (SVAC, G.722…) are counted and skipped."""


class _Frames:
    """What both implementations share: access units to media packets, the stream's counters."""

    __slots__ = ("_deliver", "_last_pts", "stats", "unsupported")

    def __init__(self, deliver: Callable[[MediaPacket], None]) -> None:
        self._deliver = deliver
        self._last_pts: dict[int, int] = {}
        self.stats = SourceStats()
        self.unsupported = 0

    def set_deliver(self, deliver: Callable[[MediaPacket], None]) -> None:
        self._deliver = deliver

    def push_batch(self, packets: Iterable[bytes], now: float) -> None:
        """RTP packets that arrived together (one read of a socket) at ``now``."""
        raise NotImplementedError

    def push(self, packet: bytes, now: float) -> None:
        """One RTP packet that arrived at ``now`` (UTC epoch seconds)."""
        self.push_batch((packet,), now)

    def _emit(self, units: list[AccessUnit], now: float) -> None:
        deliver = self._deliver
        for unit in units:
            codec = CODECS.get(unit.stream_type)
            if codec is None:
                self.unsupported += 1
                continue
            pts = unit.pts
            if pts is None:
                pts = self._last_pts.get(unit.stream_id, 0)
            else:
                self._last_pts[unit.stream_id] = pts
            dts = pts if unit.dts is None else unit.dts
            self.stats.frames += 1
            deliver(MediaPacket(codec, pts, dts, unit.keyframe, unit.data, now))


class PsRtpDepacketizer(_Frames):
    """Feed RTP packets in arrival order; complete frames go to ``deliver`` (pure Python)."""

    __slots__ = ("_ps", "_reorder", "_ssrc", "foreign", "malformed")

    def __init__(
        self,
        deliver: Callable[[MediaPacket], None],
        *,
        reorder_depth: int = 64,
        reorder_delay: float = 0.1,
    ) -> None:
        super().__init__(deliver)
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


class CompiledPsRtpDepacketizer(_Frames):
    """The same as :class:`PsRtpDepacketizer`, its per-packet part in C; one demux call a run.

    Only constructible where :data:`vigil.media.accel.native` is not None.
    """

    __slots__ = ("_core", "_demuxer")

    def __init__(
        self,
        deliver: Callable[[MediaPacket], None],
        *,
        reorder_depth: int = 64,
        reorder_delay: float = 0.1,
    ) -> None:
        if accel.native is None:
            raise RuntimeError("the compiled media path was not built")
        super().__init__(deliver)
        self._core = accel.native.RtpRuns(depth=reorder_depth, max_delay=reorder_delay)
        self._demuxer = PsDemuxer()

    @property
    def ssrc(self) -> int | None:
        """The SSRC locked onto (the first one seen), or None before any packet."""
        ssrc: int | None = self._core.ssrc
        return ssrc

    @property
    def gaps(self) -> int:
        gaps: int = self._core.gaps
        return gaps

    @property
    def foreign(self) -> int:
        foreign: int = self._core.foreign
        return foreign

    @property
    def malformed(self) -> int:
        malformed: int = self._core.malformed
        return malformed

    def push_batch(self, packets: Iterable[bytes], now: float) -> None:
        """RTP packets that arrived together (one read of a socket) at ``now``."""
        core = self._core
        runs = core.push_batch(packets, now)
        stats = self.stats
        if core.packets != stats.packets:  # foreign or malformed ones do not keep it alive
            stats.packets = core.packets
            stats.bytes = core.bytes
            stats.last_arrival = now
            stats.lost = core.lost
        if runs:
            self._demux(runs, now)

    def flush(self, now: float) -> None:
        """End of stream: release what the reorder buffer and the demuxer still hold."""
        self._demux(self._core.flush(), now)
        self._emit(self._demuxer.flush(), now)

    def _demux(self, runs: list[tuple[bool, bytes, bool]], now: float) -> None:
        demuxer = self._demuxer
        for gap, payload, marker in runs:
            if gap:
                demuxer.lost()
            units = demuxer.feed(payload)
            if marker:
                units += demuxer.end_of_frame()
            if units:
                self._emit(units, now)


Depacketizer = PsRtpDepacketizer | CompiledPsRtpDepacketizer


def make_depacketizer(
    deliver: Callable[[MediaPacket], None], *, reorder_depth: int = 64, reorder_delay: float = 0.1
) -> Depacketizer:
    """The compiled depacketizer where it was built, else the Python one."""
    kind = PsRtpDepacketizer if accel.native is None else CompiledPsRtpDepacketizer
    return kind(deliver, reorder_depth=reorder_depth, reorder_delay=reorder_delay)
