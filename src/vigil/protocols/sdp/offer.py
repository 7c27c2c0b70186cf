"""The INVITE offers Vigil sends and what it reads back from the answers (GB/T 28181 clauses 9.2
live, 9.8 playback and 9.9 download).

Transport is always stated from Vigil's side: ``TCP_PASSIVE`` means Vigil listens and the device
connects (the offer says ``a=setup:passive``), ``TCP_ACTIVE`` means Vigil connects to the device.
TCP media is framed by RFC 4571 and, as GB/T 28181 requires, offered with ``a=connection:new``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from vigil.protocols.errors import SdpError
from vigil.protocols.sdp.gb import MediaFormat, check_ssrc
from vigil.protocols.sdp.model import (
    Attribute,
    Connection,
    MediaDescription,
    Origin,
    RtpMap,
    SessionDescription,
    SessionKind,
    Timing,
)

__all__ = [
    "DEFAULT_PAYLOADS",
    "HISTORY_KINDS",
    "MediaAnswer",
    "Transport",
    "build_offer",
    "read_answer",
    "video_section",
]

# The clause 9.2 examples: PS first, with the elementary-stream payloads devices may fall back to.
DEFAULT_PAYLOADS = (
    RtpMap(96, "PS", 90000),
    RtpMap(98, "H264", 90000),
    RtpMap(97, "MPEG4", 90000),
)
UDP_PROTO = "RTP/AVP"
TCP_PROTO = "TCP/RTP/AVP"
#: The session kinds that fetch a recording (``u=`` and ``t=`` name it).
HISTORY_KINDS = frozenset({SessionKind.PLAYBACK, SessionKind.DOWNLOAD})


class Transport(StrEnum):
    """How the media flows, from Vigil's side."""

    UDP = "udp"
    TCP_PASSIVE = "tcp-passive"
    TCP_ACTIVE = "tcp-active"


# What the peer's a=setup means for Vigil (RFC 4145 §4; absent means the peer connects).
_LOCAL_TRANSPORT = {
    "active": Transport.TCP_PASSIVE,
    "passive": Transport.TCP_ACTIVE,
    "actpass": Transport.TCP_PASSIVE,
    None: Transport.TCP_PASSIVE,
}
_OFFER_SETUP = {Transport.TCP_PASSIVE: "passive", Transport.TCP_ACTIVE: "active"}


def _connection(address: str) -> Connection:
    return Connection(address, addr_type="IP6" if ":" in address else "IP4")


def video_section(
    direction: str,
    port: int,
    transport: Transport,
    payloads: tuple[RtpMap, ...],
    extra: tuple[Attribute, ...] = (),
) -> MediaDescription:
    """``m=video`` on ``port``: ``a=<direction>``, an ``a=rtpmap`` per payload and, over TCP, the
    ``a=setup`` that says who connects (``transport`` is the writer's side) and
    ``a=connection:new``; then ``extra``."""
    attributes = [Attribute(direction), *(Attribute("rtpmap", str(p)) for p in payloads)]
    if transport is not Transport.UDP:
        attributes += [Attribute("setup", _OFFER_SETUP[transport]), Attribute("connection", "new")]
    return MediaDescription(
        media="video",
        port=port,
        proto=UDP_PROTO if transport is Transport.UDP else TCP_PROTO,
        formats=tuple(str(p.payload_type) for p in payloads),
        attributes=(*attributes, *extra),
    )


def build_offer(
    *,
    kind: SessionKind,
    sender_id: str,
    address: str,
    port: int,
    ssrc: str,
    transport: Transport = Transport.UDP,
    channel_id: str | None = None,
    start: int = 0,
    stop: int = 0,
    download_speed: int | None = None,
    payloads: tuple[RtpMap, ...] = DEFAULT_PAYLOADS,
    media_format: MediaFormat | None = MediaFormat(),
) -> SessionDescription:
    """The SDP of an INVITE asking a device to send ``kind`` video to ``address:port``.

    Playback and download name the recording by ``u=<channel_id>:0`` and ``t=<start> <stop>``
    (Unix seconds); download may ask for a speed multiple with ``a=downloadspeed``.
    """
    if kind not in (SessionKind.PLAY, *HISTORY_KINDS):
        raise SdpError(f"an offer is Play, Playback or Download, not {kind.value}")
    history = kind in HISTORY_KINDS
    if history and channel_id is None:
        raise SdpError(f"a {kind.value} offer needs the channel ID for u=")
    speed: tuple[Attribute, ...] = ()
    if download_speed is not None and kind is SessionKind.DOWNLOAD:
        speed = (Attribute("downloadspeed", str(download_speed)),)
    video = video_section("recvonly", port, transport, payloads, speed)
    return SessionDescription(
        origin=Origin(sender_id, "0", "0", address, addr_type=_connection(address).addr_type),
        session_name=kind.value,
        connection=_connection(address),
        uri=f"{channel_id}:0" if history else None,
        timing=Timing(start, stop) if history else Timing(),
        media=(video,),
        ssrc=check_ssrc(ssrc),
        media_format=media_format,
    )


@dataclass(frozen=True, slots=True)
class MediaAnswer:
    """Where the peer's video is, as far as Vigil needs to receive it."""

    address: str
    port: int
    transport: Transport
    ssrc: str | None
    setup: str | None
    payloads: tuple[RtpMap, ...]


def read_answer(sdp: SessionDescription) -> MediaAnswer:
    """Read the video section of an answer (or of an upper platform's offer: same rules)."""
    video = sdp.video()
    if video is None:
        raise SdpError("SDP has no m=video section")
    if video.port == 0:
        raise SdpError("the peer refused the video stream (m=video port 0)")
    connection = video.connection or sdp.connection
    if connection is None:
        raise SdpError("SDP has no c= address for the video")
    setup = None if video.setup is None else video.setup.strip().lower()
    if video.is_tcp and setup not in _LOCAL_TRANSPORT:
        raise SdpError(f"a=setup must be active, passive or actpass, got {setup!r}")
    return MediaAnswer(
        address=connection.address.partition("/")[0],
        port=video.port,
        transport=_LOCAL_TRANSPORT[setup] if video.is_tcp else Transport.UDP,
        ssrc=sdp.ssrc,
        setup=setup,
        payloads=video.rtpmaps,
    )
