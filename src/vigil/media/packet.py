"""The unit every source produces and every sink consumes: one coded frame, never re-encoded."""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["Codec", "MediaPacket", "StreamKey"]


class Codec(enum.StrEnum):
    """Codec names as FFmpeg/PyAV spell them, so sinks can hand them to a muxer unchanged."""

    H264 = "h264"
    HEVC = "hevc"
    AAC = "aac"
    PCM_ALAW = "pcm_alaw"
    PCM_MULAW = "pcm_mulaw"

    @property
    def is_video(self) -> bool:
        # Identity, not ``in (…)``: an enum member's hash is a Python call, and this is asked
        # several times for every frame of every stream.
        return self is Codec.H264 or self is Codec.HEVC


@dataclass(frozen=True, slots=True)
class StreamKey:
    """Which stream: a channel and its stream type (GB/T 28181 main stream 0, sub stream 1…)."""

    channel_id: str
    stream: int = 0
    masks: tuple[tuple[tuple[float, float], ...], ...] = ()
    """Privacy masks drawn over the picture (polygons of 0–1 picture points): a stream with
    masks is the raw stream re-encoded with those regions blurred (:mod:`vigil.media.masking`);
    none is the stream as the camera sends it."""

    def __str__(self) -> str:
        masked = f"+{len(self.masks)} masks" if self.masks else ""
        return f"{self.channel_id}/{self.stream}{masked}"

    @property
    def raw(self) -> StreamKey:
        """The stream as the camera sends it."""
        return StreamKey(self.channel_id, self.stream) if self.masks else self


@dataclass(frozen=True, slots=True)
class MediaPacket:
    """One frame as received.

    ``data`` is Annex B (start codes, parameter sets in band) for video and raw samples or ADTS for
    audio. ``pts``/``dts`` are 90 kHz ticks on the source's own clock. ``arrival`` is the UTC epoch
    time in seconds when the frame was complete at Vigil: recording times and latency figures use
    it, because camera clocks drift and restart.
    """

    codec: Codec
    pts: int
    dts: int
    keyframe: bool
    data: bytes
    arrival: float
