"""Frames to PS-over-RTP packets for one outgoing stream: the muxer, the SSRC and the sequence.

The peer chose the SSRC (the ``y=`` of its INVITE) and demultiplexes by it; the sequence starts
from the SSRC's low bits and runs on across frames. Each frame becomes one pack and the packets
that carry it, the marker on the last (GB/T 28181 practice); the RTP timestamp is the frame's PTS.
Nothing is decoded: the Annex B bytes go into PES packets unchanged.
"""

from __future__ import annotations

from vigil.protocols.ps import PsMuxer, packetize_rtp
from vigil.protocols.ps.constants import StreamType

__all__ = ["PsRtpPacketizer", "pts_for", "video_type"]

_TIMESTAMP_MASK = 0xFFFFFFFF
#: PS stream types of the video codecs a stream may carry (codec names as PyAV spells them).
VIDEO_TYPES = {"h264": StreamType.H264, "hevc": StreamType.H265, "h265": StreamType.H265}


def pts_for(unix_seconds: float) -> int:
    """The 90 kHz PTS that names a wall-clock time (mod 2^33), for playback streams."""
    return int(unix_seconds * 90_000) & ((1 << 33) - 1)


def video_type(codec: str) -> int:
    """The PS stream type of a video codec name; ValueError for one PS cannot carry."""
    try:
        return VIDEO_TYPES[codec]
    except KeyError:
        raise ValueError(f"no PS stream type for video codec {codec!r}") from None


class PsRtpPacketizer:
    """One video stream's packets; ``video`` may only be fed frames of ``stream_type``."""

    def __init__(self, ssrc: int, stream_type: int = StreamType.H264) -> None:
        self.ssrc = ssrc
        self.stream_type = stream_type
        self._muxer = PsMuxer(stream_type)
        self._seq = ssrc & 0xFFFF
        self.packets = 0
        self.bytes = 0

    def video(
        self, data: bytes, pts: int, dts: int | None = None, *, keyframe: bool | None = None
    ) -> list[bytes]:
        """One Annex B frame as RTP packets (the caller sends them in order)."""
        ps = self._muxer.mux_video(data, pts, dts, keyframe)
        packets = packetize_rtp(ps, ssrc=self.ssrc, seq=self._seq, timestamp=pts & _TIMESTAMP_MASK)
        self._seq = (self._seq + len(packets)) & 0xFFFF
        self.packets += len(packets)
        self.bytes += sum(len(p) for p in packets)
        return packets
