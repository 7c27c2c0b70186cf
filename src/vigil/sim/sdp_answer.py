"""The device side of an INVITE's SDP: read the platform's offer, write the device's answer.

In GB/T 28181 the offer's ``a=setup`` describes the *platform*: ``a=setup:passive`` means the
platform listens and the device connects to the offer's address and port; ``a=setup:active``
means the platform will connect, so the device listens and puts its own port in the answer. The
protocol core's ``read_answer`` already reads an offer "from our side" by these rules, so
:attr:`MediaPlan.transport` is the device's role: ``TCP_ACTIVE`` = the device connects.

The SSRC is the offer's ``y=`` when there is one (the platform allocated it and demultiplexes by
it); only an offer without ``y=`` gets one of the device's own, built by the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from vigil.protocols.errors import SdpError
from vigil.protocols.sdp import (
    Attribute,
    Connection,
    MediaDescription,
    MediaFormat,
    Origin,
    RtpMap,
    SessionDescription,
    SessionKind,
    Timing,
    Transport,
    VideoFormat,
    read_answer,
)
from vigil.sim.video import VideoSpec

__all__ = ["MediaPlan", "answer_sdp", "plan_media"]

PS_MAP = RtpMap(96, "PS", 90000)
_F_CODEC = {"h264": 2, "h265": 5}
_RESOLUTION = {(1920, 1080): "6", (1280, 720): "5", (704, 576): "4"}
_HISTORY = frozenset({SessionKind.PLAYBACK, SessionKind.DOWNLOAD})


@dataclass(frozen=True, slots=True)
class MediaPlan:
    """What the platform asked for, from the device's side."""

    kind: SessionKind
    transport: Transport
    peer: tuple[str, int]
    ssrc: str
    start: int = 0
    stop: int = 0
    speed: float = 1.0

    @property
    def history(self) -> bool:
        return self.kind in _HISTORY

    @property
    def duration(self) -> float | None:
        """Seconds of the requested range; None for live (and for an open-ended range)."""
        if not self.history or self.stop <= self.start:
            return None
        return float(self.stop - self.start)


def plan_media(offer: SessionDescription, fallback_ssrc: str) -> MediaPlan:
    """Read an INVITE offer; raises :class:`SdpError` when it asks for nothing sendable."""
    kind = offer.kind
    if kind not in (SessionKind.PLAY, *_HISTORY):
        raise SdpError(f"s={offer.session_name!r} is not Play, Playback or Download")
    media = read_answer(offer)
    if not any(p.encoding.upper() == "PS" for p in media.payloads):
        raise SdpError("the offer has no PS payload")
    video = offer.video()
    assert video is not None  # read_answer checked
    speed = 1.0
    if kind is SessionKind.DOWNLOAD and video.download_speed:
        speed = float(video.download_speed)
    return MediaPlan(
        kind=kind,
        transport=media.transport,
        peer=(media.address, media.port),
        ssrc=media.ssrc or fallback_ssrc,
        start=offer.timing.start,
        stop=offer.timing.stop,
        speed=speed,
    )


def answer_sdp(
    plan: MediaPlan, *, channel_id: str, address: str, port: int, video: VideoSpec
) -> SessionDescription:
    """The 200 OK's SDP: send-only PS on ``address:port`` with the plan's SSRC."""
    attributes = [Attribute("sendonly"), Attribute("rtpmap", str(PS_MAP))]
    if plan.transport is not Transport.UDP:
        setup = "active" if plan.transport is Transport.TCP_ACTIVE else "passive"
        attributes += [Attribute("setup", setup), Attribute("connection", "new")]
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
    return SessionDescription(
        origin=Origin(channel_id, "0", "0", address),
        session_name=plan.kind.value,
        connection=Connection(address),
        timing=Timing(plan.start, plan.stop),
        media=(
            MediaDescription(
                media="video",
                port=port,
                proto="RTP/AVP" if plan.transport is Transport.UDP else "TCP/RTP/AVP",
                formats=(str(PS_MAP.payload_type),),
                attributes=tuple(attributes),
            ),
        ),
        ssrc=plan.ssrc,
        media_format=media_format,
    )
