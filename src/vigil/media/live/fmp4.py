"""Fragmented MP4 from media packets, without re-encoding: one muxer per stream, shared by all.

First the init segment (``ftyp`` + ``moov``, codec configuration from the first keyframe's
parameter sets, written by FFmpeg), then one ``moof`` + ``mdat`` per frame
(:mod:`vigil.media.mp4_fragments`). Every frame is its own fragment (not every GOP) so a frame
reaches the browser one frame interval after it arrived, not a GOP later: a frame is written once
the next one gives its duration. Only video is muxed: G.711 has no place in MSE and AAC is left
for later.

Camera timestamps wrap (33 bits), jump and repeat; decode times written to MP4 must increase, so
each frame advances by its own delta when that is sane and by the previous delta otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from vigil.media.mp4_fragments import frame_fragment, init_segment
from vigil.media.packet import Codec, MediaPacket

__all__ = ["Fmp4Muxer", "Fragment"]

_WRAP = 1 << 33
_DEFAULT_DELTA = 3600  # 25 fps, until the stream shows its own rate
_MAX_DELTA = 10 * 90000


@dataclass(frozen=True, slots=True)
class Fragment:
    """One ``moof`` + ``mdat`` holding one frame; ``arrival`` is that frame's arrival time."""

    data: bytes
    keyframe: bool
    dts: int
    duration: int
    arrival: float


class _Held:
    """The frame written when the next one arrives (its duration is the gap to that one)."""

    __slots__ = ("arrival", "data", "dts", "keyframe", "offset")

    def __init__(self, data: bytes, dts: int, offset: int, keyframe: bool, arrival: float) -> None:
        self.data = data
        self.dts = dts
        self.offset = offset
        self.keyframe = keyframe
        self.arrival = arrival


class Fmp4Muxer:
    """Feed media packets in decode order; get the init segment once and fragments after."""

    def __init__(self) -> None:
        self.codec: Codec | None = None
        self.init: bytes | None = None
        self._held: _Held | None = None
        self._sequence = 0
        self._last_dts: int | None = None
        self._out_dts = 0
        self._delta = _DEFAULT_DELTA

    def feed(self, packet: MediaPacket) -> list[Fragment]:
        """Mux one packet; returns the fragments it completed (normally the previous frame's)."""
        if not packet.codec.is_video:
            return []
        if self.init is None:
            if not packet.keyframe:
                return []
            self.init = init_segment(packet.codec, packet.data)
            self.codec = packet.codec
        elif packet.codec != self.codec:
            return []
        dts = self._next_dts(packet.dts)
        offset = (packet.pts - packet.dts) % _WRAP
        held = self._held
        self._held = _Held(
            packet.data,
            dts,
            offset if offset < _MAX_DELTA else 0,
            packet.keyframe,
            packet.arrival,
        )
        return [] if held is None else [self._fragment(held, dts - held.dts)]

    def close(self) -> list[Fragment]:
        """Write the last frame (with the last known frame duration)."""
        held, self._held = self._held, None
        return [] if held is None else [self._fragment(held, self._delta)]

    def _fragment(self, held: _Held, duration: int) -> Fragment:
        self._sequence += 1
        data = frame_fragment(
            self._sequence, held.dts, held.data, duration, held.keyframe, held.offset
        )
        return Fragment(data, held.keyframe, held.dts, duration, held.arrival)

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
