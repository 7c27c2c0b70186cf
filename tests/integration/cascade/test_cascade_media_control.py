"""PTZ and other controls, and RecordInfo, from an upper platform through the lower Vigil.

The raw upper platform sends DeviceControl for a shared channel: the simulated NVR behind the node
carries it out (its PTZ state moves), guard gets its Result back under the upper's SN; a channel
not shared is 404 and the camera never hears of it. RecordInfo lists Vigil's own recording of the
channel, merged into spans, or the device's own when Vigil has none, under the outward ID.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.integration.cascade.media_rig import LOWER_ID, CascadeRig, start_cascade_rig
from tests.integration.gb28181.simulated import wait_for
from tests.integration.media.recording_synthetic import T0, feed, stream
from tests.integration.sim.platform import PLATFORM_ID, Inbound, TestPlatform
from vigil.media.packet import Codec, StreamKey
from vigil.protocols.manscdp import (
    DeviceControl,
    DeviceControlResponse,
    RecordInfoQuery,
    RecordInfoResponse,
    RecordItem,
)
from vigil.protocols.manscdp.control import GUARD_SET
from vigil.protocols.ptz import Motion, Pan, PtzCmd
from vigil.sim.records import recordings
from vigil.store.models import AuditRecord

LEFT = str(PtzCmd(Motion(pan=Pan.LEFT, pan_speed=0x40)))


@pytest.fixture
async def rig(tmp_path: Path, database_url: str) -> AsyncIterator[CascadeRig]:
    async with TestPlatform("udp") as upper:
        async for rig in start_cascade_rig(tmp_path, database_url, upper):
            yield rig


async def audited(rig: CascadeRig, action: str) -> list[tuple[str, str | None, str]]:
    async with rig.node.db.session() as session:
        rows = await session.scalars(select(AuditRecord).where(AuditRecord.action == action))
        return [(r.actor, r.channel_id, r.outcome) for r in rows]


async def test_ptz_reaches_the_camera_and_is_audited(rig: CascadeRig) -> None:
    shared = rig.channels[0]
    status = await rig.upper.manscdp(
        LOWER_ID, DeviceControl(sn=11, device_id=shared, ptz_cmd=LEFT), target=shared
    )
    assert status == 200
    await wait_for(lambda: rig.device.controls.motion(shared) is not None)
    assert rig.device.controls.motion(shared) == Motion(pan=Pan.LEFT, pan_speed=0x40)
    assert await audited(rig, "device.ptz") == [(f"platform:{PLATFORM_ID}", shared, "ok")]


async def test_guard_result_comes_back_under_the_uppers_sn(rig: CascadeRig) -> None:
    shared = rig.channels[0]
    status = await rig.upper.manscdp(
        LOWER_ID, DeviceControl(sn=4242, device_id=shared, guard_cmd=GUARD_SET)
    )
    assert status == 200

    def result(item: Inbound) -> bool:
        return isinstance(item.message, DeviceControlResponse) and item.message.sn == 4242

    answer = (await rig.upper.next(result)).message
    assert isinstance(answer, DeviceControlResponse)
    assert (answer.device_id, answer.result) == (shared, "OK")
    assert rig.device.controls.guard[shared] is True


async def test_unshared_channel_cannot_be_controlled(rig: CascadeRig) -> None:
    unshared = rig.channels[1]
    status = await rig.upper.manscdp(
        LOWER_ID, DeviceControl(sn=12, device_id=unshared, ptz_cmd=LEFT), target=unshared
    )
    assert status == 404
    assert rig.device.controls.motion(unshared) is None
    assert not any(c.device_id == unshared for c in rig.device.controls.log)


def local(epoch: float, rig: CascadeRig) -> datetime:
    zone = rig.node.settings.zone
    return datetime.fromtimestamp(epoch, zone).replace(tzinfo=None)


async def record_info(rig: CascadeRig, sn: int, start: datetime, end: datetime) -> list[RecordItem]:
    shared = rig.channels[0]
    query = RecordInfoQuery(sn=sn, device_id=shared, start_time=start, end_time=end, type="all")
    assert await rig.upper.manscdp(LOWER_ID, query) == 200
    items: list[RecordItem] = []
    expected: int | None = None
    while expected is None or len(items) < expected:
        part = (
            await rig.upper.next(
                lambda i: isinstance(i.message, RecordInfoResponse) and i.message.sn == sn
            )
        ).message
        assert isinstance(part, RecordInfoResponse) and part.device_id == shared
        expected = part.sum_num
        items += part.items
    return items


async def test_record_info_lists_vigils_recording_as_spans(rig: CascadeRig) -> None:
    shared = rig.channels[0]
    # Two stretches with a gap: T0..T0+120 (several segments) and T0+300..T0+360.
    await (await rig.node.recording.record(StreamKey(shared), feed(stream(Codec.H264, 120))))
    later = stream(Codec.H264, 60, start=T0 + 300, pts_start=300 * 90_000)
    await (await rig.node.recording.record(StreamKey(shared), feed(later)))
    items = await record_info(rig, 31, local(T0 - 60, rig), local(T0 + 600, rig))
    spans = [(i.start_time, i.end_time, i.device_id, i.type) for i in items]
    assert spans == [
        (local(T0, rig), local(T0 + 120, rig), shared, "time"),
        (local(T0 + 300, rig), local(T0 + 360, rig), shared, "time"),
    ]
    assert not rig.device.controls.log  # the device was not asked
    assert await audited(rig, "video.records") == [(f"platform:{PLATFORM_ID}", shared, "ok")]


async def test_record_info_falls_back_to_the_devices_recordings(rig: CascadeRig) -> None:
    shared = rig.channels[0]
    zone = rig.node.settings.zone
    now = datetime.now(zone).replace(tzinfo=None, microsecond=0)
    start, end = now - timedelta(days=2, hours=6), now - timedelta(days=2)
    items = await record_info(rig, 32, start, end)
    days = rig.device.config.record_days
    expected = recordings(shared, start, end, now=now, days=days)
    assert expected  # the simulated NVR has files there (one hour in seven is a gap)
    assert [(i.start_time, i.end_time, i.file_path) for i in items] == [
        (e.start_time, e.end_time, e.file_path) for e in expected
    ]
    assert all(i.device_id == shared for i in items)
