"""The ``forward_upper`` linkage action between two Vigil nodes over real SIP sockets on loopback:
an analytics alarm on the lower's shared camera reaches the upper (which subscribed to the lower's
alarms) as a GB/T 28181 video alarm (method 5, type 6 for intrusion) under the outward ID and lands
in the upper's alarm centre; the alarm of a camera that is not shared does not go up; a picture
fault goes up as a device fault (method 6)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.integration.cascade.upper_nodes import (
    CAMERA_HIDDEN,
    CAMERA_RENAMED,
    LINK_PASSWORD,
    LOWER_ID,
    OUTWARD_ID,
    UPPER_DOMAIN,
    UPPER_ID,
    add_upper,
    eventually,
    seed_lower,
    share,
    standard_shares,
    start_node,
)
from vigil.alarms import AlarmFilter
from vigil.app import Vigil
from vigil.bus import Event
from vigil.gb28181.devices.events import DeviceAlarmRaised
from vigil.governance.permissions import SYSTEM
from vigil.store.models import Alarm, AuditRecord

AT = datetime(2026, 12, 7, 9, 30, 5, tzinfo=UTC)


@pytest.fixture
async def pair(tmp_path: Path) -> AsyncIterator[tuple[Vigil, Vigil, int]]:
    upper = await start_node(
        tmp_path,
        "upper",
        sip_id=UPPER_ID,
        sip_domain=UPPER_DOMAIN,
        sip_password=LINK_PASSWORD,
        sip_admit_unknown=True,
        subscribe_expires=600,
    )
    lower = await start_node(tmp_path, "lower", sip_id=LOWER_ID)
    try:
        await seed_lower(lower)
        platform_id = await add_upper(lower, upper.gb.port)
        await share(lower, platform_id, *standard_shares())
        subscriptions = lower.cascade_notifier.subscriptions
        await eventually(lambda: subscriptions.holds(platform_id, "alarm"), timeout=15)
        yield upper, lower, platform_id
    finally:
        await lower.stop()
        await upper.stop()


async def upper_alarms(node: Vigil) -> list[Alarm]:
    return await node.alarms.page(SYSTEM, AlarmFilter(), None, 50)


async def test_an_analytics_alarm_of_a_shared_camera_goes_up(
    pair: tuple[Vigil, Vigil, int],
) -> None:
    upper, lower, _ = pair
    seen: list[DeviceAlarmRaised] = []

    async def collect(event: Event) -> None:
        assert isinstance(event, DeviceAlarmRaised)
        seen.append(event)

    upper.bus.subscribe("device.alarm", collect)
    rule = {"name": "up", "source": "analytics", "actions": [{"type": "forward_upper"}]}
    await lower.alarms.replace_linkages(SYSTEM, [rule])
    hidden = await lower.alarms.raise_analytics(
        channel_id=CAMERA_HIDDEN, rule_id=3, kind="intrusion", at=AT, label="person"
    )
    shared = await lower.alarms.raise_analytics(
        channel_id=CAMERA_RENAMED, rule_id=3, kind="intrusion", at=AT, label="person"
    )
    await eventually(lambda: len(seen) >= 1, timeout=10)
    got = seen[0]
    assert (got.source_id, got.method, got.alarm_type) == (OUTWARD_ID, 5, 6)
    assert got.alarm_at == AT and got.priority == shared.level
    assert got.description == "intrusion: person"

    async def landed() -> bool:
        return any(a.channel_id == OUTWARD_ID for a in await upper_alarms(upper))

    await eventually(landed, timeout=10)
    [alarm] = [a for a in await upper_alarms(upper) if a.channel_id == OUTWARD_ID]
    assert (alarm.source, alarm.kind) == ("device", "gb.video.6")

    await lower.alarms.linkage.idle()
    counts = lower.alarms.linkage.counts
    assert counts["forward_upper.ok"] == 1 and counts["forward_upper.skipped"] == 1
    assert [e.source_id for e in seen] == [OUTWARD_ID]  # the hidden camera's stayed below
    async with lower.db.session() as session:
        records = (
            await session.scalars(select(AuditRecord).where(AuditRecord.action == "alarm.forward"))
        ).all()
    assert [(r.resource, r.channel_id) for r in records] == [(f"alarm:{shared.id}", CAMERA_RENAMED)]
    assert hidden.id != shared.id


async def test_a_picture_fault_of_a_shared_camera_goes_up_as_a_device_fault(
    pair: tuple[Vigil, Vigil, int],
) -> None:
    upper, lower, _ = pair
    seen: list[DeviceAlarmRaised] = []

    async def collect(event: Event) -> None:
        assert isinstance(event, DeviceAlarmRaised)
        seen.append(event)

    upper.bus.subscribe("device.alarm", collect)
    rule = {"name": "faults up", "source": "availability", "actions": [{"type": "forward_upper"}]}
    await lower.alarms.replace_linkages(SYSTEM, [rule])
    await lower.alarms.fault_raised(CAMERA_RENAMED, "blur", 1, None, AT)
    await eventually(lambda: len(seen) >= 1, timeout=10)
    got = seen[0]
    assert (got.source_id, got.method, got.alarm_type) == (OUTWARD_ID, 6, None)
    assert got.description == "picture fault: blur"
