"""A device's GB/T 28181 Alarm NOTIFY, sent over SIP, ends up in the alarm centre: stored as a
device alarm by the report writer, published on the bus, raised as a centre alarm of the channel
it names, announced as ``alarm.raised``."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.integration.gb28181.conftest import DEVICE_ID, NodeFactory, device, eventually
from tests.integration.gb28181.test_catalog import CHANNELS
from vigil.alarms import AlarmFilter, AlarmRaised
from vigil.bus import Event
from vigil.governance.permissions import SYSTEM
from vigil.protocols.manscdp import AlarmNotify
from vigil.store.models import Alarm


async def test_device_alarm_notify_becomes_a_centre_alarm(gb_factory: NodeFactory) -> None:
    node = await gb_factory()
    await node.devices.create(SYSTEM, DEVICE_ID, {"name": "camera one"})
    raised: list[Event] = []

    async def collect(event: Event) -> None:
        raised.append(event)

    node.bus.subscribe("alarm.raised", collect)
    async with device(node, channels=CHANNELS[:2]) as camera:
        assert (await camera.register()).status == 200

        async def catalogued() -> bool:
            return len(await node.channels.page(SYSTEM, None, 10)) == 2

        await eventually(catalogued)
        for source, priority in ((CHANNELS[1].device_id, 1), (DEVICE_ID, None)):
            notify = AlarmNotify(
                sn=camera.next_sn(),
                device_id=source,
                alarm_priority=priority,
                alarm_method=5,
                alarm_time=datetime(2024, 5, 1, 8, 0, 0),
                alarm_description="越界",
            )
            assert (await camera.message(notify)).status == 200

        async def centred() -> bool:
            return len(await node.alarms.page(SYSTEM, AlarmFilter(), None, 10)) == 2

        await eventually(centred)

        async def announced() -> bool:  # published on the bus after the store: wait for both
            return sum(isinstance(e, AlarmRaised) for e in raised) == 2

        await eventually(announced)
    alarms: list[Alarm] = sorted(
        await node.alarms.page(SYSTEM, AlarmFilter(), None, 10), key=lambda a: a.id
    )
    on_channel, on_device = alarms
    assert on_channel.source == "device" and on_channel.kind == "gb.video"
    assert on_channel.channel_id == CHANNELS[1].device_id and on_channel.device_id == DEVICE_ID
    assert on_channel.level == 1 and on_channel.description == "越界"
    assert on_channel.at == datetime(2024, 5, 1, 0, 0, tzinfo=UTC)  # 08:00 Asia/Shanghai
    assert on_channel.clip_start is not None and on_channel.clip_start < on_channel.at
    assert on_device.channel_id is None and on_device.clip_start is None
    assert on_device.level == 3  # no priority given
    assert all(isinstance(e, AlarmRaised) for e in raised)
    assert sorted(e.alarm_id for e in raised if isinstance(e, AlarmRaised)) == [
        on_channel.id,
        on_device.id,
    ]
