"""Program stream demuxer tuned for GB/T 28181 cameras: chunks in, access units out.

Why it is shaped this way:

* Speed. Hundreds of cameras share a core, so the demuxer works at the start-code level. Inside a
  PES of known length, incoming chunks are only counted and appended (no scan, no copy); start
  codes are searched with ``bytes.find`` only where a header is due or a PES has length 0; a
  frame's fragments are joined once, when it is complete.
* Tolerance. Real devices send no PSM (the codec is then read from the NAL headers), PES without
  PTS (they continue the frame in progress), video PES of length 0, frames split over many PES,
  stuffing, MPEG-1 packs and junk between packs. Junk is skipped up to the next start code and
  counted; it never raises. General-purpose muxers (FFmpeg) cut video PES anywhere: a PES
  without the data alignment flag whose PTS is new may start with the previous frame's tail, so
  that frame is held until the new one's first access unit start is found (one frame later).
* Loss. After :meth:`PsDemuxer.lost` the frames in progress are dropped (a decoder would show
  garbage) and input is ignored up to the next pack header.

A frame is complete when its stream's next PTS arrives, or at :meth:`PsDemuxer.end_of_frame` (the
RTP marker bit), or at :meth:`PsDemuxer.flush`.
"""

from __future__ import annotations

from collections.abc import Callable

from vigil.protocols.errors import PsError
from vigil.protocols.ps.access_unit import AccessUnit
from vigil.protocols.ps.constants import (
    AUDIO_STREAM_IDS,
    PACK_START_CODE,
    PROGRAM_END_CODE,
    PSM_STREAM_ID,
    START_CODE_PREFIX,
    VIDEO_STREAM_IDS,
    is_video_type,
)
from vigil.protocols.ps.headers import ProgramStreamMap
from vigil.protocols.ps.nal import access_unit_start, is_keyframe, opens_access_unit
from vigil.protocols.ps.pes import read_pes_header
from vigil.protocols.ps.stream_types import StreamTypes

__all__ = ["MAX_FRAME_SIZE", "PsDemuxer"]

# A 4K I-frame at a high bit rate is a few MB; anything beyond this is a runaway stream.
MAX_FRAME_SIZE = 16 * 1024 * 1024
_PACK_CODE = START_CODE_PREFIX + bytes((PACK_START_CODE,))
# Every system start code (program end, pack, system header, PES ids) is 0xB9 or above; NAL
# headers after an Annex B start code are below 0x80, so they never look like one.
_LOWEST_SYSTEM_CODE = PROGRAM_END_CODE
# §2.5.3.3: the MPEG-2 pack header is 14 bytes, the stuffing length in the low 3 bits of the last.
_MPEG2_PACK = 14
_MPEG1_PACK = 12
# Handler results other than the offset to continue at.
_NEED_MORE = -1
_JUNK = -2
# PES flags byte: '10' marker plus data_alignment_indicator (§2.4.3.7); a PES that says it starts
# with an access unit needs no search for where the new frame begins.
_ALIGNED_MASK = 0xC4
_ALIGNED = 0x84
# Enough of a video payload to read its first NAL header and the slice flag after it.
_PEEK_BYTES = 16

_Handler = Callable[[bytes, int, int, list[AccessUnit]], int]


class _Frame:
    """A frame being assembled: its PES payload fragments, joined once when it completes."""

    __slots__ = ("dropped", "dts", "parts", "previous", "pts", "size", "stream_id")

    def __init__(
        self, stream_id: int, pts: int | None, dts: int | None, previous: _Frame | None = None
    ) -> None:
        self.stream_id = stream_id
        self.pts = pts
        self.dts = dts
        self.parts: list[bytes] = []
        self.size = 0
        self.dropped = False
        # The frame whose tail may open this one's data (PES cut without regard to frames).
        self.previous = previous


class PsDemuxer:
    """Feed program stream bytes in any chunking; get complete access units back."""

    __slots__ = (
        "_frames",
        "_handlers",
        "_hunting",
        "_in_junk",
        "_max_frame_size",
        "_pending",
        "_remaining",
        "_sink",
        "_streams",
        "_unbounded",
        "frames_dropped",
        "psm_errors",
        "resyncs",
        "skipped_bytes",
    )

    def __init__(self, *, max_frame_size: int = MAX_FRAME_SIZE) -> None:
        self._max_frame_size = max_frame_size
        self._pending = b""
        self._remaining = 0
        self._sink: list[bytes] | None = None
        self._unbounded: _Frame | None = None
        self._frames: dict[int, _Frame] = {}
        self._streams = StreamTypes()
        self._hunting = False
        self._in_junk = False
        self.resyncs = 0
        self.skipped_bytes = 0
        self.frames_dropped = 0
        self.psm_errors = 0
        handlers: list[_Handler] = [self._on_skip] * 256
        handlers[PROGRAM_END_CODE] = self._on_end
        handlers[PACK_START_CODE] = self._on_pack
        handlers[PSM_STREAM_ID] = self._on_psm
        for stream_id in (*AUDIO_STREAM_IDS, *VIDEO_STREAM_IDS):
            handlers[stream_id] = self._on_pes
        self._handlers = handlers

    @property
    def stream_types(self) -> dict[int, int]:
        """Stream id → stream type, as announced by the last PSM."""
        return self._streams.announced()

    def feed(self, data: bytes | bytearray | memoryview) -> list[AccessUnit]:
        """Consume one chunk (any size, e.g. one RTP payload); return the frames it completed."""
        if not isinstance(data, bytes):
            data = bytes(data)
        remaining = self._remaining
        if remaining:
            sink = self._sink
            if remaining >= len(data):
                self._remaining = remaining - len(data)
                if sink is not None:
                    sink.append(data)
                return []
            if sink is not None:
                sink.append(data[:remaining])
            self._remaining = 0
            data = data[remaining:]
        if self._pending:
            data = self._pending + data
            self._pending = b""
        out: list[AccessUnit] = []
        self._parse(data, out)
        return out

    def end_of_frame(self) -> list[AccessUnit]:
        """The sender says a frame ended here (RTP marker): emit every frame that is whole."""
        out: list[AccessUnit] = []
        frame = self._unbounded
        if frame is not None:
            self._append(frame, self._pending)
            self._pending = b""
            self._unbounded = None
        if self._remaining:
            return out
        for frame in self._frames.values():
            self._settle(frame, out)
            self._emit(frame, out)
        self._frames.clear()
        return out

    def flush(self) -> list[AccessUnit]:
        """End of stream: emit what is whole and forget all state except the PSM."""
        out = self.end_of_frame()
        self._drop_frames()
        self._pending = b""
        return out

    def lost(self) -> None:
        """Input is missing here (an RTP gap): drop frames in progress, wait for a pack header."""
        self._drop_frames()
        self._pending = b""
        self._hunting = True

    def _drop_frames(self) -> None:
        for frame in self._frames.values():
            for f in (frame, frame.previous):
                if f is not None and f.size and not f.dropped:
                    self.frames_dropped += 1
        self._frames.clear()
        self._remaining = 0
        self._sink = None
        self._unbounded = None

    def _parse(self, buf: bytes, out: list[AccessUnit]) -> None:
        at = 0
        end = len(buf)
        handlers = self._handlers
        while at < end:
            if self._unbounded is not None:
                at = self._scan_unbounded(buf, at, end)
                continue
            remaining = self._remaining
            if remaining:
                take = min(remaining, end - at)
                if self._sink is not None:
                    self._sink.append(buf[at : at + take])
                self._remaining = remaining - take
                at += take
                continue
            if end - at < 4:
                self._pending = buf[at:]
                return
            code = buf[at + 3]
            if (
                not buf.startswith(START_CODE_PREFIX, at)
                or code < _LOWEST_SYSTEM_CODE
                or (self._hunting and code != PACK_START_CODE)
            ):
                at = self._resync(buf, at, end)
                continue
            after = handlers[code](buf, at, end, out)
            if after >= 0:
                self._in_junk = False
                at = after
            elif after == _JUNK:
                at = self._resync(buf, at, end)
            else:
                self._pending = buf[at:]
                return

    def _resync(self, buf: bytes, at: int, end: int) -> int:
        """Skip junk to the next system start code (a pack header while hunting)."""
        if not self._in_junk:
            self._in_junk = True
            self.resyncs += 1
        start = at
        if self._hunting:
            found = buf.find(_PACK_CODE, at + 1)
        else:
            found = buf.find(START_CODE_PREFIX, at + 1)
            while 0 <= found < end - 3 and buf[found + 3] < _LOWEST_SYSTEM_CODE:
                found = buf.find(START_CODE_PREFIX, found + 3)
        if found < 0:
            # The last bytes may begin a start code that the next chunk completes.
            found = max(at + 1, end - 3)
        self.skipped_bytes += found - start
        return found

    def _scan_unbounded(self, buf: bytes, at: int, end: int) -> int:
        """Inside a length-0 video PES: its payload runs to the next system start code."""
        frame = self._unbounded
        assert frame is not None
        hit = buf.find(START_CODE_PREFIX, at)
        while hit >= 0 and hit + 3 < end and buf[hit + 3] < _LOWEST_SYSTEM_CODE:
            hit = buf.find(START_CODE_PREFIX, hit + 3)
        if hit >= 0 and hit + 3 < end:
            self._append(frame, buf[at:hit])
            self._unbounded = None
            return hit
        # Hold back what may be the beginning of a start code until the next chunk.
        keep = hit if hit >= 0 else max(at, end - 2)
        self._append(frame, buf[at:keep])
        self._pending = buf[keep:]
        return end

    def _append(self, frame: _Frame, chunk: bytes) -> None:
        if frame.dropped or not chunk:
            return
        frame.parts.append(chunk)
        frame.size += len(chunk)
        if frame.size > self._max_frame_size:
            self._drop(frame)

    def _drop(self, frame: _Frame) -> None:
        frame.dropped = True
        frame.parts = []
        self.frames_dropped += 1

    def _on_end(self, buf: bytes, at: int, end: int, out: list[AccessUnit]) -> int:
        return at + 4

    def _on_pack(self, buf: bytes, at: int, end: int, out: list[AccessUnit]) -> int:
        if end - at < 5:
            return _NEED_MORE
        kind = buf[at + 4]
        if kind >> 6 == 0b01:
            if end - at < _MPEG2_PACK:
                return _NEED_MORE
            size = _MPEG2_PACK + (buf[at + 13] & 0x07)
        elif kind >> 4 == 0b0010:
            size = _MPEG1_PACK
        else:
            return _JUNK
        self._hunting = False
        return at + size if at + size <= end else _NEED_MORE

    def _on_skip(self, buf: bytes, at: int, end: int, out: list[AccessUnit]) -> int:
        """System header, padding, private streams and the rest: skip by their length."""
        if end - at < 6:
            return _NEED_MORE
        self._remaining = (buf[at + 4] << 8) | buf[at + 5]
        self._sink = None
        return at + 6

    def _on_psm(self, buf: bytes, at: int, end: int, out: list[AccessUnit]) -> int:
        if end - at < 6:
            return _NEED_MORE
        stop = at + 6 + ((buf[at + 4] << 8) | buf[at + 5])
        if stop > end:
            return _NEED_MORE
        try:
            psm = ProgramStreamMap.parse(buf[at:stop])
        except PsError:
            self.psm_errors += 1
        else:
            self._streams.announce(psm)
        return stop

    def _on_pes(self, buf: bytes, at: int, end: int, out: list[AccessUnit]) -> int:
        try:
            fields = read_pes_header(buf, at, end)
        except PsError:
            return _JUNK
        if fields is None:
            return _NEED_MORE
        pts, dts, payload_at = fields
        length = (buf[at + 4] << 8) | buf[at + 5]
        payload_length = at + 6 + length - payload_at
        if length and payload_length < 0:
            return _JUNK
        stream_id = buf[at + 3]
        frame = self._frames.get(stream_id)
        if frame is not None and pts is not None and pts != frame.pts:
            if frame.size or frame.dropped:
                opens = self._opens_frame(buf, at, payload_at, end)
                if opens is None:
                    return _NEED_MORE
                self._settle(frame, out)
                if opens:
                    self._emit(frame, out)
                    frame = None
                else:
                    frame = self._frames[stream_id] = _Frame(stream_id, pts, dts, frame)
            else:
                frame.pts, frame.dts = pts, dts
        if frame is None:
            frame = self._frames[stream_id] = _Frame(stream_id, pts, dts)
        if not length:
            self._unbounded = frame
            return payload_at
        self._route_payload(frame, payload_length)
        return payload_at

    def _route_payload(self, frame: _Frame, payload_length: int) -> None:
        """Take the payload's next bytes into ``frame``; skip them once it is dropped (too big)."""
        if not frame.dropped and frame.size + payload_length > self._max_frame_size:
            self._drop(frame)
        if frame.dropped:
            self._sink = None
        else:
            frame.size += payload_length
            self._sink = frame.parts
        self._remaining = payload_length

    def _opens_frame(self, buf: bytes, at: int, payload_at: int, end: int) -> bool | None:
        """Whether the PES at ``at`` surely begins a new frame; None until its head is here."""
        stream_id = buf[at + 3]
        if stream_id not in VIDEO_STREAM_IDS or buf[at + 6] & _ALIGNED_MASK == _ALIGNED:
            return True
        length = (buf[at + 4] << 8) | buf[at + 5]
        peek = min(_PEEK_BYTES, at + 6 + length - payload_at) if length else _PEEK_BYTES
        if payload_at + peek > end:
            return None
        head = buf[payload_at : payload_at + peek]
        known = self._streams.sniff(stream_id, head)
        return known is not None and opens_access_unit(known, head, 0)

    def _settle(self, frame: _Frame, out: list[AccessUnit]) -> None:
        """Give the previous frame its tail from the head of this one, then emit it."""
        previous = frame.previous
        if previous is None:
            return
        frame.previous = None
        if not frame.dropped and frame.parts:
            data = b"".join(frame.parts)
            split = access_unit_start(self._streams.resolve(frame.stream_id, data), data)
            if split:
                self._append(previous, data[:split])
                frame.parts = [data[split:]]
                frame.size -= split
        self._emit(previous, out)

    def _emit(self, frame: _Frame, out: list[AccessUnit]) -> None:
        if frame.dropped or not frame.size:
            return
        data = b"".join(frame.parts)
        stream_id = frame.stream_id
        stream_type = self._streams.resolve(stream_id, data)
        keyframe = is_video_type(stream_type) and is_keyframe(stream_type, data)
        out.append(AccessUnit(stream_type, stream_id, frame.pts, frame.dts, data, keyframe))
