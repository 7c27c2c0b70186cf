"""Vigil as a lower platform serving live video to an upper platform, on loopback.

A simulated NVR is registered to the node; a raw upper platform (the protocol core on a socket)
INVITEs a shared channel over UDP, TCP active and TCP passive, and decodes the PS over RTP it
receives with PyAV. The stream comes from the node's stream hub — one source shared with local
viewers — and BYE from either side frees the hub consumer, the device's call, the RTP port and the
SSRC. A channel not shared does not exist for the upper platform.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.integration.cascade.media_rig import LOWER_ID, CascadeRig, start_cascade_rig
from tests.integration.gb28181.simulated import wait_for
from tests.integration.sim.media import decode_all
from tests.integration.sim.platform import PLATFORM_ID, TestPlatform
from vigil.governance.masks import MaskPolygon
from vigil.governance.permissions import SYSTEM
from vigil.media.packet import StreamKey
from vigil.protocols.sdp import SessionKind, build_offer, parse_sdp
from vigil.store.models import AuditRecord


@pytest.fixture
async def rig(tmp_path: Path, database_url: str) -> AsyncIterator[CascadeRig]:
    async with TestPlatform("udp") as upper:
        async for rig in start_cascade_rig(tmp_path, database_url, upper):
            yield rig


@pytest.mark.parametrize(
    ("mode", "setup"), [("udp", None), ("tcp-passive", "active"), ("tcp-active", "passive")]
)
async def test_live_through_the_cascade_decodes_and_bye_frees_everything(
    rig: CascadeRig, mode: str, setup: str | None
) -> None:
    channel = rig.channels[0]
    response, receiver, dialog = await rig.invite(channel, mode, ssrc="0340205678")
    try:
        assert response.status == 200, response
        assert dialog is not None
        answer = parse_sdp(response.body)
        video = answer.video()
        assert video is not None
        assert answer.ssrc == "0340205678"  # the upper platform's y= is echoed
        assert video.setup == setup and video.direction == "sendonly"
        assert video.port in rig.node.media.ports.in_use
        await receiver.wait_packets(40, timeout=15)
        assert receiver.ssrcs() == {340205678}
        units = receiver.units()
        assert units and units[0].keyframe  # starts at a keyframe, from the hub
        assert decode_all(units, "h264") >= len(units) - 2
        [stream] = rig.node.media.hub.streams()
        assert stream.key == StreamKey(channel) and stream.consumers == 1

        bye = await rig.upper.in_dialog(dialog, "BYE", LOWER_ID)
        assert bye.status == 200
        await wait_for(rig.idle, timeout=10)
    finally:
        await receiver.close()
    async with rig.node.db.session() as session:
        audited = (
            await session.scalars(
                select(AuditRecord).where(
                    AuditRecord.action == "video.live", AuditRecord.channel_id == channel
                )
            )
        ).all()
    assert [(a.actor, a.outcome) for a in audited] == [(f"platform:{PLATFORM_ID}", "ok")]


async def test_one_source_is_shared_with_a_local_viewer(rig: CascadeRig) -> None:
    channel = rig.channels[0]
    local = await rig.node.media.hub.subscribe(StreamKey(channel))
    try:
        response, receiver, dialog = await rig.invite(channel, "udp")
        assert response.status == 200 and dialog is not None
        await receiver.wait_packets(20)
        [stream] = rig.node.media.hub.streams()
        assert stream.consumers == 2
        assert len(rig.device.calls.active) == 1  # the camera streams once
        await rig.upper.in_dialog(dialog, "BYE", LOWER_ID)
        await wait_for(lambda: not rig.node.cascade_media.calls)
        await wait_for(lambda: rig.node.media.hub.streams()[0].consumers == 1)
        assert len(rig.device.calls.active) == 1  # the local viewer still watches
        await receiver.close()
    finally:
        local.close()
    await wait_for(rig.idle)


async def test_a_masked_channel_goes_up_masked(rig: CascadeRig) -> None:
    channel = rig.channels[0]
    window = MaskPolygon("window", ((0.0, 0.0), (0.5, 0.0), (0.5, 0.5)))
    await rig.node.masks.replace(SYSTEM, channel, [window])
    response, receiver, dialog = await rig.invite(channel, "udp")
    try:
        assert response.status == 200 and dialog is not None
        await receiver.wait_packets(30, timeout=15)
        units = receiver.units()
        assert units and units[0].keyframe
        assert decode_all(units, "h264") >= len(units) - 2
        # The upper platform is fed the masked stream, which the camera's own stream feeds.
        streams = {s.key: s.consumers for s in rig.node.media.hub.streams()}
        assert streams == {StreamKey(channel, masks=(window.points,)): 1, StreamKey(channel): 1}
        await rig.upper.in_dialog(dialog, "BYE", LOWER_ID)
    finally:
        await receiver.close()
    await wait_for(rig.idle, timeout=10)


async def test_upper_platform_going_away_ends_the_call_with_bye(rig: CascadeRig) -> None:
    response, receiver, dialog = await rig.invite(rig.channels[0], "tcp-passive")
    assert response.status == 200 and dialog is not None
    await receiver.wait_packets(10)
    await receiver.close()  # the upper platform's media connection closes: sending fails
    bye = await rig.upper.next(lambda i: i.request.method == "BYE", timeout=10)
    assert bye.request.call_id == dialog.call_id
    await wait_for(rig.idle)


async def test_unshared_channel_does_not_exist_for_the_upper_platform(rig: CascadeRig) -> None:
    unshared = rig.channels[1]
    response, _, dialog = await rig.invite(unshared, "udp")
    assert response.status == 404 and dialog is None
    assert not rig.node.media.hub.streams() and not rig.device.calls.active
    assert rig.idle()
    async with rig.node.db.session() as session:
        refused = (
            await session.scalars(select(AuditRecord).where(AuditRecord.action == "video.invite"))
        ).all()
    assert [(r.actor, r.resource, r.outcome) for r in refused] == [
        (f"platform:{PLATFORM_ID}", f"channel:{unshared}", "not_shared")
    ]


# Bound by the node's timers (re-INVITEs that wait 4 s each until the silent device goes offline):
# in a loaded parallel run it once took over 30 s on both engines, so it runs alone.
@pytest.mark.alone
async def test_source_ending_sends_bye_to_the_upper_platform(
    rig: CascadeRig, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "vigil.gb28181")  # each redial and its failure, if this fails
    response, receiver, dialog = await rig.invite(rig.channels[0], "udp")
    assert response.status == 200 and dialog is not None
    try:
        await receiver.wait_packets(10)
        await rig.device.stop()  # the camera goes away: re-INVITEs fail, the hub ends the stream
        # Until the node takes the silent device offline a re-INVITE waits for an answer (4 s in
        # the rig); three full runs in a row took over 30 s here with 10 s.
        bye = await rig.upper.next(lambda i: i.request.method == "BYE", timeout=30)
        assert bye.request.call_id == dialog.call_id
        await wait_for(lambda: not rig.node.cascade_media.calls and not rig.node.media.ports.in_use)
        assert not rig.node.media.hub.streams() and not rig.node.media.ssrcs.in_use
    finally:
        await receiver.close()


async def test_a_call_never_acked_is_dropped(
    rig: CascadeRig, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 64·T1 is 32 s; 4 s leaves room for the 200's resends at 0.5, 1.5 and 3.5 s (with 2 s, a
    # loaded parallel run once saw no resend before the call was dropped).
    monkeypatch.setattr("vigil.gb28181.cascade.media.ACK_TIMEOUT", 4.0)
    channel = rig.channels[0]
    offer = build_offer(
        kind=SessionKind.PLAY,
        sender_id=PLATFORM_ID,
        address="127.0.0.1",
        port=9,
        ssrc="0340201111",
        channel_id=channel,
    )
    invite = rig.upper.new_request(
        "INVITE", LOWER_ID, channel, body=bytes(offer), content_type="application/sdp"
    )
    response = await rig.upper.send(invite, LOWER_ID)
    assert response.status == 200  # and no ACK follows
    await wait_for(lambda: not rig.node.cascade_media.calls, timeout=8)
    await wait_for(rig.idle)
    resent = [r for r in rig.upper.responses if r.call_id == invite.call_id and r.status == 200]
    assert len(resent) >= 2  # over UDP the 200 was resent while the ACK was awaited


async def test_a_camera_that_cannot_stream_is_refused(rig: CascadeRig) -> None:
    await rig.device.stop()  # offline: the hub cannot start the channel's source
    response, _, dialog = await rig.invite(rig.channels[0], "udp")
    assert response.status == 503 and dialog is None
    assert rig.idle()
    async with rig.node.db.session() as session:
        audited = (
            await session.scalars(select(AuditRecord).where(AuditRecord.action == "video.live"))
        ).all()
    assert [a.outcome for a in audited] == ["refused 503"]
