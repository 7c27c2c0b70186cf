"""GB/T 28181 PS over RTP to media packets, the per-packet and per-frame work done in C.

Same behaviour as :class:`~vigil.media.sources.ps_rtp.PsRtpDepacketizer` (differential tests
hold the two to the same frames and counters, garbage included), at a fraction of the CPU:

* ``RtpRuns`` (C) parses each header, locks the SSRC, reorders, and joins the payloads of
  consecutive packets into runs: one Python call per socket read, not per packet.
* A run closed by the RTP marker is, from a GB camera, one whole PS pack: ``ps_frame`` (C) checks
  that it is exactly the case the Python demuxer would handle without keeping any state (pack
  header, system header, PSM, PES of known length, one PTS per stream) and returns its access
  units. A run split over two socket reads is held until its marker.
* A run that is anything else (junk, loss inside a frame, a length-0 PES, a stream with no type
  in the PSM) goes to :class:`~vigil.protocols.ps.PsDemuxer`, first told what the C path saw
  (a pack header, the PSMs), which leaves it in the state the reference would be in. It keeps the
  stream while its state is unknown here. At a gap it forgets all but the stream types and hunts
  for a pack header (``lost()``); a run that begins with one, with none before it, finds it in
  exactly the state the C path assumes, so the C path takes the stream back there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from vigil.media import accel
from vigil.media.packet import MediaPacket
from vigil.media.sources.ps_rtp import FrameEmitter, PsRtpDepacketizer
from vigil.protocols.errors import PsError
from vigil.protocols.ps import PackHeader, ProgramStreamMap, PsDemuxer, StreamType
from vigil.protocols.ps.constants import VIDEO_STREAM_IDS
from vigil.protocols.ps.demux import MAX_FRAME_SIZE

__all__ = ["CompiledPsRtpDepacketizer", "Depacketizer", "make_depacketizer"]

# Distinct PSMs kept for the hand-over; a stream that shows more goes to the Python demuxer.
_MAX_PSMS = 32

# Fed to the Python demuxer when it takes over after the C path took a frame: what ended its
# hunt for a pack header there.
_PACK = bytes(PackHeader(0))
_PACK_CODE = b"\x00\x00\x01\xba"

Run = tuple[bool, bytes, bool]
_Piece = tuple[bool, bytes, bool, float]  # gap, payload, marker, arrival


class _NotAFrame(Exception):
    """The run is not one the C path takes whole; the Python demuxer takes over."""


class CompiledPsRtpDepacketizer(FrameEmitter):
    """Feed RTP packets in arrival order; complete frames go to ``deliver``.

    Only constructible where :data:`vigil.media.accel.native` is not None.
    """

    __slots__ = (
        "_core",
        "_demuxer",
        "_fast",
        "_held",
        "_hunting",
        "_need_pack",
        "_psms",
        "_tail",
        "_taken",
        "_types",
    )

    def _setup(self, reorder_depth: int, reorder_delay: float) -> None:
        if accel.native is None:
            raise RuntimeError("the compiled media path was not built")
        self._core = accel.native.RtpRuns(depth=reorder_depth, max_delay=reorder_delay)
        self._demuxer = PsDemuxer()  # idle while the C path has the stream
        self._fast = True  # whether the C path has the stream
        self._taken = False  # whether it took a frame since it got the stream
        self._held: list[_Piece] = []
        self._hunting = False  # the Python demuxer only hunts a pack header (after a gap)
        self._tail = b""  # the last bytes it was fed while hunting (a code may span runs)
        self._need_pack = False  # the C path took the stream from a hunting demuxer
        self._psms: list[bytes] = []  # PSMs it saw, each once, in order of its last sighting
        self._types: dict[int, int] = {}  # stream id → type, as the PSMs announced them

    @property
    def ssrc(self) -> int | None:
        """The SSRC locked onto (the first one seen), or None before any packet."""
        ssrc: int | None = self._core.ssrc
        return ssrc

    @property
    def gaps(self) -> int:
        """Breaks in the sequence the demuxer was told about (packets given up as lost)."""
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
        runs: list[Run] = core.push_batch(packets, now)
        stats = self.stats
        if core.packets != stats.packets:  # foreign or malformed ones do not keep it alive
            stats.packets = core.packets
            stats.bytes = core.bytes
            stats.last_arrival = now
            stats.lost = core.lost
        for gap, payload, marker in runs:
            self._run(gap, payload, marker, now)

    def flush(self, now: float) -> None:
        """End of stream: release what the reorder buffer and the demuxer still hold."""
        for gap, payload, marker in self._core.flush():
            self._run(gap, payload, marker, now)
        if self._fast:
            self._leave_fast(self._held)
        self._emit(self._demuxer.flush(), now)

    def _run(self, gap: bool, payload: bytes, marker: bool, now: float) -> None:
        if not self._fast:
            if gap:
                self._demuxer.lost()  # what the reference does; then it hunts a pack header
                self._hunting, self._tail = True, b""
            if not self._hunting or (self._tail + payload).find(_PACK_CODE) != len(self._tail):
                self._python_run((gap, payload, marker, now))
                if self._hunting and _PACK_CODE in self._tail + payload:
                    self._hunting = False  # found one: its state is unknown here again
                self._tail = (self._tail + payload)[-3:]
                return
            # The run begins with the pack header the demuxer hunts: the C path's starting point.
            self._fast, self._taken, self._psms = True, False, []
            self._hunting, self._need_pack = False, True
            self._types = self._demuxer.stream_types
        if marker:
            self._frame_run(gap, payload, now)
        else:
            self._held.append((gap, payload, marker, now))

    def _frame_run(self, gap: bool, payload: bytes, now: float) -> None:
        """A run closed by a marker, with the pieces held before it: one PS frame, usually."""
        held = self._held
        pieces = [*held, (gap, payload, True, now)]
        try:
            if held:
                if any(g for g, _, _, _ in pieces[1:]):
                    raise _NotAFrame
                gap, payload = held[0][0], b"".join(p for _, p, _, _ in pieces)
            self._take_frame(gap or self._need_pack, payload, now)
        except _NotAFrame:
            self._leave_fast(pieces)
        else:
            self._held = []
            self._taken, self._need_pack = True, False

    def _take_frame(self, need_pack: bool, payload: bytes, now: float) -> None:
        assert accel.native is not None
        found = accel.native.ps_frame(payload, need_pack, MAX_FRAME_SIZE)
        if found is None:
            raise _NotAFrame
        units, psms = found
        types, seen = self._types, self._psms
        if psms:
            types, seen = _announced(types, seen, psms)
        resolved: list[int] = []
        for stream_id, _, _, _ in units:
            known = types.get(stream_id) or None  # as StreamTypes.known: a 0 type is unknown
            if known is None:
                if stream_id in VIDEO_STREAM_IDS:
                    raise _NotAFrame  # the Python demuxer guesses from the NAL units
                known = StreamType.G711A
            resolved.append(known)
        self._types, self._psms = types, seen
        keyframe = accel.native.is_keyframe  # as is_video_type(kind) and is_keyframe(kind, data)
        for (stream_id, pts, dts, data), kind in zip(units, resolved, strict=True):
            self._emit_unit(kind, stream_id, pts, dts, data, keyframe(kind, data), now)

    def _leave_fast(self, pieces: list[_Piece]) -> None:
        """The Python demuxer takes the stream: told what the C path saw, then given ``pieces``."""
        demuxer = self._demuxer
        if self._taken:
            demuxer.feed(_PACK)
        for psm in self._psms:
            demuxer.feed(psm)
        self._fast, self._held, self._need_pack = False, [], False
        for piece in pieces:
            self._python_run(piece)

    def _python_run(self, piece: _Piece) -> None:
        demuxer = self._demuxer
        gap, payload, marker, now = piece
        if gap:
            demuxer.lost()
        units = demuxer.feed(payload)
        if marker:
            units += demuxer.end_of_frame()
        if units:
            self._emit(units, now)


Depacketizer = PsRtpDepacketizer | CompiledPsRtpDepacketizer


def _announced(
    types: dict[int, int], seen: list[bytes], psms: list[bytes]
) -> tuple[dict[int, int], list[bytes]]:
    """New copies of ``types`` and ``seen`` (stream types, PSMs in order of last sighting) once
    the frame's ``psms`` are read; raises :class:`_NotAFrame` past :data:`_MAX_PSMS` PSMs."""
    types, seen = dict(types), list(seen)
    for psm in psms:
        try:
            types.update(ProgramStreamMap.parse(psm).stream_types())
        except PsError:
            continue  # as the demuxer: counted there, announces nothing
        if psm in seen:
            seen.remove(psm)
        seen.append(psm)
    if len(seen) > _MAX_PSMS:
        raise _NotAFrame
    return types, seen


def make_depacketizer(
    deliver: Callable[[MediaPacket], None], *, reorder_depth: int = 64, reorder_delay: float = 0.1
) -> Depacketizer:
    """The compiled depacketizer where it was built, else the Python one."""
    kind = PsRtpDepacketizer if accel.native is None else CompiledPsRtpDepacketizer
    return kind(deliver, reorder_depth=reorder_depth, reorder_delay=reorder_delay)
