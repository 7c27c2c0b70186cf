"""Decoding a channel's coded packets with PyAV, each picture stamped with its packet's arrival.

Every packet must be decoded (later pictures are predicted from earlier ones); the caller converts
only the pictures it analyses. A picture's time is the arrival time (UTC epoch seconds) of the
packet with the same presentation time; a packet that does not decode is counted and skipped (the
decoder recovers at the next keyframe). A change of codec (H.264 → H.265) opens a new decoder.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import av

from vigil.analytics.live.messages import PacketIn

__all__ = ["PacketDecoder"]

log = logging.getLogger(__name__)

#: Arrival times kept for pictures not decoded yet (reordering holds a few back).
_PENDING = 64


class PacketDecoder:
    """See the module docstring."""

    def __init__(self) -> None:
        self._codec: str | None = None
        self._context: av.VideoCodecContext | None = None
        self._arrivals: dict[int, float] = {}
        self.decoded = 0
        self.errors = 0

    def decode(self, packet: PacketIn) -> Iterator[tuple[float, av.VideoFrame]]:
        """The pictures this packet completes, each with its time."""
        context = self._context_for(packet)
        if context is None:
            return
        self._arrivals[packet.pts] = packet.arrival
        if len(self._arrivals) > _PENDING:
            del self._arrivals[next(iter(self._arrivals))]
        coded = av.Packet(packet.data)
        coded.pts = packet.pts
        try:
            frames = context.decode(coded)
        except av.FFmpegError:
            self.errors += 1
            return
        for frame in frames:
            self.decoded += 1
            pts = frame.pts
            stamp = self._arrivals.pop(pts, packet.arrival) if pts is not None else packet.arrival
            yield stamp, frame

    def _context_for(self, packet: PacketIn) -> av.VideoCodecContext | None:
        if packet.codec != self._codec:
            if not packet.keyframe:
                return None  # a new decoder starts at a keyframe
            context = av.CodecContext.create(packet.codec, "r")
            assert isinstance(context, av.VideoCodecContext)
            self._codec, self._context = packet.codec, context
            self._arrivals.clear()
        return self._context
