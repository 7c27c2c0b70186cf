"""The unit the demuxer hands up and the muxer takes in: one coded frame of one stream."""

from __future__ import annotations

from dataclasses import dataclass

from vigil.protocols.ps.constants import VIDEO_STREAM_IDS

__all__ = ["AccessUnit"]


@dataclass(frozen=True, slots=True)
class AccessUnit:
    """One frame: Annex B bytes for video, raw samples or ADTS for audio; times in 90 kHz ticks.

    ``keyframe`` is only ever true for video that starts a GOP (IDR/IRAP or parameter sets).
    """

    stream_type: int
    stream_id: int
    pts: int | None
    dts: int | None
    data: bytes
    keyframe: bool = False

    @property
    def is_video(self) -> bool:
        return self.stream_id in VIDEO_STREAM_IDS
