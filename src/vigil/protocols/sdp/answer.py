"""The sending side of an INVITE's SDP: read the receiver's offer, write the sender's answer.

A device answers its platform this way, and so does Vigil as a lower platform answering an upper
one. In GB/T 28181 the offer's ``a=setup`` describes the *receiver*: ``a=setup:passive`` means it
listens and the sender connects to the offer's address and port; ``a=setup:active`` means it will
connect, so the sender listens and puts its own port in the answer. :func:`read_answer` already
reads an offer "from our side" by these rules, so :attr:`MediaPlan.transport` is the sender's
role: ``TCP_ACTIVE`` = the sender connects.

The SSRC is the offer's ``y=`` when there is one (the receiver allocated it and demultiplexes by
it); only an offer without ``y=`` gets the caller's fallback.
"""

from __future__ import annotations

from dataclasses import dataclass

from vigil.protocols.errors import SdpError
from vigil.protocols.sdp.gb import MediaFormat
from vigil.protocols.sdp.model import (
    Connection,
    Origin,
    RtpMap,
    SessionDescription,
    SessionKind,
    Timing,
)
from vigil.protocols.sdp.offer import HISTORY_KINDS, Transport, read_answer, video_section

__all__ = ["PS_MAP", "MediaPlan", "answer_offer", "plan_media"]

PS_MAP = RtpMap(96, "PS", 90000)


@dataclass(frozen=True, slots=True)
class MediaPlan:
    """What the receiver asked for, from the sender's side (``start``/``stop``: Unix seconds)."""

    kind: SessionKind
    transport: Transport
    peer: tuple[str, int]
    ssrc: str
    start: int = 0
    stop: int = 0
    speed: float = 1.0

    @property
    def history(self) -> bool:
        return self.kind in HISTORY_KINDS

    @property
    def duration(self) -> float | None:
        """Seconds of the requested range; None for live (and for an open-ended range)."""
        if not self.history or self.stop <= self.start:
            return None
        return float(self.stop - self.start)


def plan_media(offer: SessionDescription, fallback_ssrc: str) -> MediaPlan:
    """Read an INVITE offer; raises :class:`SdpError` when it asks for nothing sendable."""
    kind = offer.kind
    if kind not in (SessionKind.PLAY, *HISTORY_KINDS):
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


def answer_offer(
    plan: MediaPlan,
    *,
    origin_id: str,
    address: str,
    port: int,
    media_format: MediaFormat | None = None,
) -> SessionDescription:
    """The 200 OK's SDP: send-only PS on ``address:port`` with the plan's SSRC (``y=``) and, for
    TCP, the ``a=setup`` that complements the offer's."""
    return SessionDescription(
        origin=Origin(origin_id, "0", "0", address),
        session_name=plan.kind.value,
        connection=Connection(address),
        timing=Timing(plan.start, plan.stop),
        media=(video_section("sendonly", port, plan.transport, (PS_MAP,)),),
        ssrc=plan.ssrc,
        media_format=media_format,
    )
