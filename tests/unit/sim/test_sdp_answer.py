"""The device's SDP answer for each transport: roles, ports, SSRC and the f= line."""

from __future__ import annotations

import pytest

from vigil.protocols.errors import SdpError
from vigil.protocols.sdp import SessionKind, Transport, build_offer, parse_sdp
from vigil.sim.sdp_answer import answer_sdp, plan_media
from vigil.sim.video import VideoSpec

CHANNEL = "34010400001320000001"


def offer(transport: Transport, **kw: object) -> bytes:
    return bytes(
        build_offer(
            kind=kw.pop("kind", SessionKind.PLAY),  # type: ignore[arg-type]
            sender_id="34020000002000000001",
            address="10.0.0.5",
            port=30000,
            ssrc=str(kw.pop("ssrc", "0340200001")),
            transport=transport,
            channel_id=CHANNEL,
            **kw,  # type: ignore[arg-type]
        )
    )


@pytest.mark.parametrize(
    ("platform", "device", "setup", "proto"),
    [
        (Transport.UDP, Transport.UDP, None, "RTP/AVP"),
        # The platform listens (offer a=setup:passive): the device connects, answers active.
        (Transport.TCP_PASSIVE, Transport.TCP_ACTIVE, "active", "TCP/RTP/AVP"),
        # The platform connects (offer a=setup:active): the device listens, answers passive.
        (Transport.TCP_ACTIVE, Transport.TCP_PASSIVE, "passive", "TCP/RTP/AVP"),
    ],
)
def test_answer_per_transport(
    platform: Transport, device: Transport, setup: str | None, proto: str
) -> None:
    plan = plan_media(parse_sdp(offer(platform)), "0340209999")
    assert plan.transport is device
    assert plan.peer == ("10.0.0.5", 30000)
    assert plan.ssrc == "0340200001"  # the offer's y= wins over the fallback
    sdp = answer_sdp(plan, channel_id=CHANNEL, address="127.0.0.1", port=41000, video=VideoSpec())
    again = parse_sdp(bytes(sdp))
    video = again.video()
    assert video is not None
    assert (video.port, video.proto, video.setup, video.direction) == (
        41000,
        proto,
        setup,
        "sendonly",
    )
    assert [str(m) for m in video.rtpmaps] == ["96 PS/90000"]
    assert video.connection_mode == (None if setup is None else "new")
    assert again.ssrc == "0340200001" and again.origin.username == CHANNEL
    assert str(again.media_format) == "v/2/5/25/1/2000"


def test_history_plan_and_fallback_ssrc() -> None:
    raw = offer(Transport.UDP, kind=SessionKind.DOWNLOAD, start=1000, stop=1600, download_speed=4)
    without_y = b"\r\n".join(line for line in raw.split(b"\r\n") if not line.startswith(b"y="))
    plan = plan_media(parse_sdp(without_y), "1340200007")
    assert (plan.history, plan.duration, plan.speed, plan.ssrc) == (True, 600.0, 4.0, "1340200007")
    h265 = VideoSpec(codec="h265", width=640, height=360)
    sdp = answer_sdp(plan, channel_id=CHANNEL, address="127.0.0.1", port=1, video=h265)
    assert sdp.session_name == "Download" and (sdp.timing.start, sdp.timing.stop) == (1000, 1600)
    assert str(sdp.media_format).startswith("v/5/640x360/")


def test_refuses_talk_and_non_ps() -> None:
    talk = offer(Transport.UDP).replace(b"s=Play", b"s=Talk")
    with pytest.raises(SdpError):
        plan_media(parse_sdp(talk), "0340200001")
    no_ps = offer(Transport.UDP).replace(b"96 PS/90000", b"96 VP8/90000")
    with pytest.raises(SdpError):
        plan_media(parse_sdp(no_ps), "0340200001")
