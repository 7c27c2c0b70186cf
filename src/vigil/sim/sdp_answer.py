"""The device side of an INVITE's SDP: read the platform's offer, write the device's answer.

The rules (who connects for TCP, whose SSRC) are the protocol core's
(:mod:`vigil.protocols.sdp.answer`), shared with Vigil answering an upper platform; this module
adds the device's ``f=`` line, built from the simulated video.
"""

from __future__ import annotations

from vigil.protocols.sdp import MediaFormat, SessionDescription, VideoFormat
from vigil.protocols.sdp.answer import MediaPlan, answer_offer, plan_media
from vigil.sim.video import VideoSpec

__all__ = ["MediaPlan", "answer_sdp", "plan_media"]

_F_CODEC = {"h264": 2, "h265": 5}
_RESOLUTION = {(1920, 1080): "6", (1280, 720): "5", (704, 576): "4"}


def answer_sdp(
    plan: MediaPlan, *, channel_id: str, address: str, port: int, video: VideoSpec
) -> SessionDescription:
    """The 200 OK's SDP: send-only PS on ``address:port`` with the plan's SSRC."""
    resolution = _RESOLUTION.get((video.width, video.height), f"{video.width}x{video.height}")
    media_format = MediaFormat(
        VideoFormat(
            codec=_F_CODEC[video.codec],
            resolution=resolution,
            frame_rate=video.fps,
            rate_type=1,
            bitrate=video.bitrate // 1000,
        )
    )
    return answer_offer(
        plan, origin_id=channel_id, address=address, port=port, media_format=media_format
    )
