"""Playback and download through the cascade: an upper platform INVITEs a recorded range of a
shared channel from the lower Vigil, which sends it from its own recording segments (paced at the
asked speed, MediaStatus 121 at the end, MANSRTSP applied) or, when it has none, relays the
device's own recording. A raw upper platform on loopback receives and decodes it with PyAV.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.integration.cascade.media_rig import LOWER_ID, CascadeRig, start_cascade_rig
from tests.integration.gb28181.simulated import wait_for
from tests.integration.media.recording_synthetic import T0, feed, stream
from tests.integration.sim.media import MediaReceiver, decode_all
from tests.integration.sim.platform import Inbound, TestPlatform
from vigil.media.outbound.ps_rtp import pts_for
from vigil.media.packet import Codec, StreamKey
from vigil.protocols.manscdp import MEDIA_STATUS_END_OF_FILE, MediaStatusNotify
from vigil.protocols.mansrtsp import MansrtspRequest, Method, NptRange
from vigil.protocols.rtp import parse_rtp_header
from vigil.protocols.sdp import SessionKind

MANSRTSP = "Application/MANSRTSP"


@pytest.fixture
async def rig(tmp_path: Path, database_url: str) -> AsyncIterator[CascadeRig]:
    async with TestPlatform("udp") as upper:
        async for rig in start_cascade_rig(tmp_path, database_url, upper):
            yield rig


async def record(rig: CascadeRig, seconds: float) -> None:
    """``seconds`` of H.264 (a keyframe every 2 s) recorded for the shared channel from T0."""
    key = StreamKey(rig.channels[0])
    await (await rig.node.recording.record(key, feed(stream(Codec.H264, seconds))))


def end_of_file(item: Inbound) -> bool:
    message = item.message
    return (
        isinstance(message, MediaStatusNotify) and message.notify_type == MEDIA_STATUS_END_OF_FILE
    )


def timestamps(receiver: MediaReceiver) -> list[int]:
    return [parse_rtp_header(p)[1] for _, p in receiver.packets]


async def test_playback_from_vigils_recording_ends_with_media_status(rig: CascadeRig) -> None:
    await record(rig, 60)
    start = int(T0) + 11  # between keyframes (one every 2 s): sending starts at T0 + 10 s
    asked = time.monotonic()
    response, receiver, dialog = await rig.invite(
        rig.channels[0], "tcp-passive", kind=SessionKind.PLAYBACK, start=start, stop=start + 4
    )
    try:
        assert response.status == 200 and dialog is not None
        status = await rig.upper.next(end_of_file, timeout=15)
        took = time.monotonic() - asked
        assert status.request.call_id == dialog.call_id
        assert 4.0 <= took <= 9.0, took  # paced at 1x: 5 s of video, not a burst
        units = receiver.units()
        assert units[0].keyframe and len(units) == 25  # T0 + 10 s to 15 s at 5 fps
        assert decode_all(units, "h264") >= len(units) - 2
        # Timestamps name the recorded time: the first frame is the keyframe at T0 + 10 s.
        assert timestamps(receiver)[0] == pts_for(start - 1) & 0xFFFFFFFF
        assert not rig.device.calls.active  # Vigil's own recording, not the device's
        await rig.upper.in_dialog(dialog, "BYE", LOWER_ID)
    finally:
        await receiver.close()
    await wait_for(rig.idle)


async def test_download_runs_at_the_asked_speed(rig: CascadeRig) -> None:
    await record(rig, 60)
    start = int(T0) + 21
    asked = time.monotonic()
    response, receiver, dialog = await rig.invite(
        rig.channels[0], "udp", kind=SessionKind.DOWNLOAD, start=start, stop=start + 16, speed=4
    )
    try:
        assert response.status == 200 and dialog is not None
        await rig.upper.next(end_of_file, timeout=15)
        took = time.monotonic() - asked
        assert took < 8.0, took  # 17 s of video (from the keyframe at 20 s) at 4x: about 4 s
        units = receiver.units()
        assert len(units) == 85
        assert decode_all(units, "h264") >= len(units) - 2
        await rig.upper.in_dialog(dialog, "BYE", LOWER_ID)
    finally:
        await receiver.close()
    await wait_for(rig.idle)


async def test_mansrtsp_pauses_seeks_and_scales_the_playback(rig: CascadeRig) -> None:
    await record(rig, 120)
    start = int(T0)
    response, receiver, dialog = await rig.invite(
        rig.channels[0], "udp", kind=SessionKind.PLAYBACK, start=start, stop=start + 100
    )
    assert response.status == 200 and dialog is not None
    try:
        await receiver.wait_packets(5)

        async def info(request: MansrtspRequest) -> int:
            answer = await rig.upper.in_dialog(dialog, "INFO", LOWER_ID, bytes(request), MANSRTSP)
            return answer.status

        assert await info(MansrtspRequest(Method.PAUSE, 1)) == 200
        await asyncio.sleep(0.3)
        paused = len(receiver.packets)
        await asyncio.sleep(1.0)
        assert len(receiver.packets) == paused  # nothing while paused
        assert await info(MansrtspRequest(Method.PLAY, 2, range=NptRange(61.0), scale=4.0)) == 200
        await wait_for(lambda: len(receiver.packets) > paused + 40, timeout=10)
        after = timestamps(receiver)[paused]
        assert after == pts_for(start + 60) & 0xFFFFFFFF  # the keyframe before 61 s
        sent = len(receiver.packets)
        await asyncio.sleep(1.0)
        # At 4x, a second carries about 20 frames (each a few RTP packets), not 5.
        assert len(receiver.units()) > 0 and len(receiver.packets) - sent >= 15
        await rig.upper.in_dialog(dialog, "BYE", LOWER_ID)
    finally:
        await receiver.close()
    await wait_for(rig.idle)


async def test_playback_falls_back_to_the_devices_recording(rig: CascadeRig) -> None:
    start = int(time.time()) - 86_400  # Vigil recorded nothing then
    response, receiver, dialog = await rig.invite(
        rig.channels[0], "tcp-active", kind=SessionKind.PLAYBACK, start=start, stop=start + 2
    )
    try:
        assert response.status == 200 and dialog is not None
        [theirs] = rig.device.calls.active.values()  # the camera plays its own recording
        assert theirs.plan.start == start and theirs.plan.history
        status = await rig.upper.next(end_of_file, timeout=15)  # the device's 121, relayed
        assert status.request.call_id == dialog.call_id
        units = receiver.units()
        assert units and units[0].keyframe
        assert decode_all(units, "h264") >= len(units) - 2
        await rig.upper.in_dialog(dialog, "BYE", LOWER_ID)
    finally:
        await receiver.close()
    await wait_for(rig.idle)
