"""Fragmented MP4 from media packets, without re-encoding: one muxer per stream, shared by all.

PyAV (FFmpeg's mov muxer) writes into a file-like object with
``movflags=frag_every_frame+empty_moov+default_base_moof``: first the init segment (``ftyp`` +
``moov``, codec configuration from the first keyframe's parameter sets), then one ``moof`` +
``mdat`` per frame. Every frame is its own fragment (not every GOP, as ``frag_keyframe`` would
make it) so a frame reaches the browser one frame interval after it arrived, not a GOP later:
the muxer writes a frame once the next one gives its duration.

The stream's codec parameters come from probing the first keyframe with FFmpeg's raw H.264/H.265
demuxer (a millisecond); the output stream copies them, so no encoder is ever opened. Only video
is muxed: G.711 has no place in MSE and AAC is left for later.

Camera timestamps wrap (33 bits), jump and repeat; decode times written to MP4 must increase, so
each frame advances by its own delta when that is sane and by the previous delta otherwise.
"""

from __future__ import annotations

import io
import struct
from collections import deque
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import av

from vigil.media.packet import Codec, MediaPacket

__all__ = ["Fmp4Muxer", "Fragment", "split_boxes"]

_TIME_BASE = Fraction(1, 90000)
_MOVFLAGS = "frag_every_frame+empty_moov+default_base_moof"
_WRAP = 1 << 33
_DEFAULT_DELTA = 3600  # 25 fps, until the stream shows its own rate
_MAX_DELTA = 10 * 90000
_PROBE_FORMATS = {Codec.H264: "h264", Codec.HEVC: "hevc"}
_BOX_HEADER = struct.Struct("!I4s")


@dataclass(frozen=True, slots=True)
class Fragment:
    """One ``moof`` + ``mdat`` holding one frame; ``arrival`` is that frame's arrival time."""

    data: bytes
    keyframe: bool
    dts: int
    duration: int
    arrival: float


def split_boxes(buffer: bytearray) -> list[tuple[bytes, bytes]]:
    """Take every complete top-level box off the front of ``buffer`` as (type, bytes)."""
    boxes: list[tuple[bytes, bytes]] = []
    at = 0
    while len(buffer) - at >= 8:
        size, kind = _BOX_HEADER.unpack_from(buffer, at)
        if size < 8 or len(buffer) - at < size:
            break
        boxes.append((kind, bytes(buffer[at : at + size])))
        at += size
    del buffer[:at]
    return boxes


class _Output(io.RawIOBase):
    """The file-like PyAV writes to: bytes collect here until the muxer takes them."""

    def __init__(self) -> None:
        super().__init__()
        self.buffer = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.buffer += data
        return len(data)


class Fmp4Muxer:
    """Feed media packets in decode order; get the init segment once and fragments after."""

    def __init__(self) -> None:
        self.codec: Codec | None = None
        self.init: bytes | None = None
        self._output = _Output()
        self._container: Any = None
        self._stream: Any = None
        self._pending: deque[tuple[bool, int, float]] = deque()
        self._init_parts: list[bytes] = []
        self._last_dts: int | None = None
        self._out_dts = 0
        self._delta = _DEFAULT_DELTA
        self._moof: bytes | None = None

    def feed(self, packet: MediaPacket) -> list[Fragment]:
        """Mux one packet; returns the fragments it completed (normally the previous frame's)."""
        if not packet.codec.is_video:
            return []
        if self._container is None:
            if not packet.keyframe:
                return []
            self._open(packet)
        elif packet.codec != self.codec:
            return []
        dts = self._next_dts(packet.dts)
        offset = (packet.pts - packet.dts) % _WRAP
        pts = dts + (offset if offset < _MAX_DELTA else 0)
        out = av.Packet(packet.data)
        out.pts, out.dts, out.time_base = pts, dts, _TIME_BASE
        out.stream = self._stream
        if packet.keyframe:
            out.is_keyframe = True
        self._pending.append((packet.keyframe, dts, packet.arrival))
        self._container.mux(out)
        return self._collect()

    def close(self) -> list[Fragment]:
        """Flush the last frame and release the FFmpeg context."""
        if self._container is None:
            return []
        try:
            self._container.close()
            return self._collect()
        finally:
            self._container = None

    def _open(self, keyframe: MediaPacket) -> None:
        probe_format = _PROBE_FORMATS[keyframe.codec]
        with av.open(
            io.BytesIO(keyframe.data),
            format=probe_format,
            options={"probesize": "32", "analyzeduration": "0"},
        ) as probe:
            template = probe.streams.video[0]
            container = av.open(
                self._output,
                "w",
                format="mp4",
                options={"movflags": _MOVFLAGS, "flush_packets": "1"},
            )
            stream = container.add_stream_from_template(template)
        stream.time_base = _TIME_BASE
        self._container, self._stream, self.codec = container, stream, keyframe.codec

    def _next_dts(self, dts: int) -> int:
        last = self._last_dts
        self._last_dts = dts
        if last is None:
            return self._out_dts
        delta = (dts - last) % _WRAP
        if 0 < delta <= _MAX_DELTA:
            self._delta = delta
        self._out_dts += self._delta
        return self._out_dts

    def _collect(self) -> list[Fragment]:
        fragments: list[Fragment] = []
        for kind, box in split_boxes(self._output.buffer):
            if kind == b"moof":
                self._moof = box
            elif kind == b"mdat" and self._moof is not None:
                keyframe, dts, arrival = self._pending.popleft()
                duration = self._pending[0][1] - dts if self._pending else self._delta
                fragments.append(Fragment(self._moof + box, keyframe, dts, duration, arrival))
                self._moof = None
            elif self.init is None:
                self._init_parts.append(box)
                if kind == b"moov":
                    self.init = b"".join(self._init_parts)
                    self._init_parts = []
        return fragments
