"""Subscriptions after registration; catalog NOTIFY applied; alarms and positions stored and
published."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import select

from tests.integration.gb28181.conftest import DEVICE_ID, NodeFactory, device, eventually
from tests.integration.gb28181.test_catalog import CHANNELS, channel_ids
from vigil.bus import Event
from vigil.governance.permissions import SYSTEM
from vigil.protocols.manscdp import (
    AlarmNotify,
    CatalogItem,
    CatalogNotify,
    MobilePositionNotify,
    encode,
)
from vigil.store.models import Channel, DeviceAlarm, DevicePosition


async def test_subscribes_applies_catalog_notify_and_stores_reports(
    gb_factory: NodeFactory,
) -> None:
    node = await gb_factory(subscribe_expires=60, position_types="132")
    await node.devices.create(SYSTEM, DEVICE_ID, {"name": "camera one"})
    events: list[Event] = []

    async def collect(event: Event) -> None:
        events.append(event)

    node.bus.subscribe("device.>", collect)
    async with device(node, channels=CHANNELS[:3]) as camera:
        assert (await camera.register()).status == 200

        async def subscribed() -> bool:
            return len(node.gb.subscriptions) == 3

        await eventually(subscribed)
        subscribes = [r for r in camera.requests if r.method == "SUBSCRIBE"]
        assert sorted(r.headers.get("Event", "").split(";")[0] for r in subscribes) == [
            "Catalog",
            "presence",
            "presence",
        ]
        assert all(r.headers.get("Expires") == "60" for r in subscribes)
        assert len(await channel_ids(node)) == 3

        new_channel = "34010400001320000199"
        notify = CatalogNotify(
            sn=camera.next_sn(),
            device_id=DEVICE_ID,
            sum_num=3,
            items=(
                CatalogItem(device_id=new_channel, event="ADD", name="新通道"),
                CatalogItem(device_id=CHANNELS[0].device_id, event="DEL"),
                CatalogItem(device_id=CHANNELS[1].device_id, event="VLOST"),
            ),
        )
        subscribe = subscribes[0]
        headers = [
            ("Event", subscribe.headers.get("Event") or ""),
            ("Subscription-State", "active"),
        ]
        request = camera._request("NOTIFY", body=encode(notify), headers=headers)
        assert (await camera.send(request)).status == 200
        ids = await channel_ids(node)
        assert new_channel in ids and CHANNELS[0].device_id not in ids
        async with node.db.session() as session:
            lost = await session.get(Channel, CHANNELS[1].device_id)
        assert lost is not None and lost.status == "vlost"

        alarm = AlarmNotify(
            sn=camera.next_sn(),
            device_id=CHANNELS[2].device_id,
            alarm_priority=1,
            alarm_method=5,
            alarm_time=datetime(2024, 5, 1, 8, 0, 0),
            alarm_description="越界",
        )
        assert (await camera.message(alarm)).status == 200
        position = MobilePositionNotify(
            sn=camera.next_sn(), device_id=DEVICE_ID, longitude=117.25, latitude=31.85, speed=3.5
        )
        assert (await camera.message(position)).status == 200

        async def answered() -> bool:
            return any(b"<CmdType>Alarm</CmdType>" in r.body for r in camera.requests)

        await eventually(answered)

        async def stored() -> bool:
            async with node.db.session() as session:
                return await session.scalar(select(DevicePosition.id)) is not None

        await eventually(stored)  # written in the report writer's next batch
    async with node.db.session() as session:
        alarms = list(await session.scalars(select(DeviceAlarm)))
        positions = list(await session.scalars(select(DevicePosition)))
    assert len(alarms) == 1 and alarms[0].source_id == CHANNELS[2].device_id
    assert alarms[0].at == datetime(2024, 5, 1, 0, 0, 0, tzinfo=UTC)  # 08:00 Asia/Shanghai
    assert alarms[0].description == "越界" and alarms[0].priority == 1
    assert len(positions) == 1 and positions[0].longitude == 117.25
    subjects = {event.subject for event in events}
    assert {"device.online", "device.catalog", "device.alarm", "device.position"} <= subjects


async def test_a_fixed_camera_is_not_asked_for_positions_by_default(
    gb_factory: NodeFactory,
) -> None:
    node = await gb_factory(subscribe_expires=60)
    await node.devices.create(SYSTEM, DEVICE_ID, {"name": "camera one"})
    async with device(node, channels=CHANNELS[:1]) as camera:
        assert (await camera.register()).status == 200

        async def subscribed() -> bool:
            return len(node.gb.subscriptions) == 2

        await eventually(subscribed)
        await asyncio.sleep(0.3)
        bodies = [r.body for r in camera.requests if r.method == "SUBSCRIBE"]
    assert len(bodies) == 2 and not any(b"MobilePosition" in b for b in bodies)
