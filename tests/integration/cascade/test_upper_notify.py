"""An upper Vigil subscribed to a lower Vigil's catalog is told every change of the shared tree:
OFF/ON when a shared camera's state changes, ADD when a camera becomes shared, DEL when it stops
being shared; an unshared camera's change is never told. Alarms and positions of a shared camera
are passed up under its outward ID, those of an unshared one never."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.integration.cascade.upper_nodes import (
    CAMERA_HIDDEN,
    CAMERA_IN_GROUP,
    CAMERA_RENAMED,
    LINK_PASSWORD,
    LOWER_ID,
    NVR,
    OUTWARD_ID,
    UPPER_DOMAIN,
    UPPER_ID,
    VIRTUAL_ORG,
    add_upper,
    eventually,
    seed_lower,
    set_online,
    share,
    standard_shares,
    start_node,
)
from vigil.app import Vigil
from vigil.bus import Event
from vigil.gb28181.cascade.platforms import ShareEntry
from vigil.gb28181.devices.events import CatalogSynced, DeviceAlarmRaised, DevicePositionReported
from vigil.governance.permissions import SYSTEM
from vigil.store.models import Channel
from vigil.store.models.platforms import ShareKind


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
        await eventually(lambda: subscriptions.holds(platform_id, "catalog"), timeout=15)
        yield upper, lower, platform_id
    finally:
        await lower.stop()
        await upper.stop()


async def status_on(node: Vigil, channel_id: str) -> str | None:
    async with node.db.session() as session:
        channel = await session.get(Channel, channel_id)
        return channel.status if channel is not None else None


async def changed(lower: Vigil, *channel_ids: str) -> None:
    """What the GB server publishes after a device's catalog notify changed these channels."""
    await lower.bus.publish(
        CatalogSynced(device_id=NVR, received=1, expected=None, complete=False, updated=channel_ids)
    )


async def test_state_changes_of_shared_cameras_reach_the_upper(
    pair: tuple[Vigil, Vigil, int],
) -> None:
    upper, lower, _ = pair
    await eventually(lambda: _is(upper, CAMERA_IN_GROUP, "online"), timeout=10)
    await set_online(lower, [CAMERA_IN_GROUP], False)
    await changed(lower, CAMERA_IN_GROUP)
    await eventually(lambda: _is(upper, CAMERA_IN_GROUP, "offline"))
    await set_online(lower, [CAMERA_IN_GROUP], True)
    await changed(lower, CAMERA_IN_GROUP)
    await eventually(lambda: _is(upper, CAMERA_IN_GROUP, "online"))
    assert await status_on(upper, OUTWARD_ID) == "online"
    assert await status_on(upper, CAMERA_RENAMED) is None


async def test_sharing_and_unsharing_add_and_delete_on_the_upper(
    pair: tuple[Vigil, Vigil, int],
) -> None:
    upper, lower, platform_id = pair
    await eventually(lambda: _is(upper, OUTWARD_ID, "online"), timeout=10)
    await set_online(lower, [CAMERA_HIDDEN], False)
    await changed(lower, CAMERA_HIDDEN)  # not shared: nothing is told
    entries = [
        ShareEntry(ShareKind.virtual_group, "34010200002150000001"),
        ShareEntry(ShareKind.channel, CAMERA_HIDDEN),
    ]
    await lower.upper_platforms.set_shares(SYSTEM, platform_id, entries)
    await eventually(lambda: _is(upper, CAMERA_HIDDEN, "offline"))
    await eventually(lambda: _is(upper, OUTWARD_ID, None))


async def test_a_camera_put_in_a_shared_group_is_added_on_the_upper(
    pair: tuple[Vigil, Vigil, int],
) -> None:
    upper, lower, _ = pair
    await eventually(lambda: _is(upper, OUTWARD_ID, "online"), timeout=10)
    assert await status_on(upper, CAMERA_HIDDEN) is None
    await lower.virtual_groups.add_channels(SYSTEM, VIRTUAL_ORG, [CAMERA_HIDDEN])
    await eventually(lambda: _is(upper, CAMERA_HIDDEN, "online"))


async def test_alarms_of_shared_cameras_are_forwarded_under_the_outward_id(
    pair: tuple[Vigil, Vigil, int],
) -> None:
    upper, lower, _ = pair
    seen: list[DeviceAlarmRaised] = []

    async def collect(event: Event) -> None:
        assert isinstance(event, DeviceAlarmRaised)
        seen.append(event)

    upper.bus.subscribe("device.alarm", collect)
    at = datetime(2026, 12, 3, 1, 2, 3, tzinfo=UTC)
    for source in (CAMERA_RENAMED, CAMERA_HIDDEN):
        await lower.bus.publish(
            DeviceAlarmRaised(
                device_id=NVR,
                source_id=source,
                alarm_at=at,
                priority=1,
                method=5,
                alarm_type=2,
                description=f"alarm of {source}",
            )
        )
    await eventually(lambda: len(seen) >= 1)
    await lower.bus.publish(
        DeviceAlarmRaised(
            device_id=NVR,
            source_id=CAMERA_IN_GROUP,
            alarm_at=at,
            priority=2,
            method=5,
            alarm_type=None,
            description="last",
        )
    )
    await eventually(lambda: len(seen) >= 2)
    assert [e.source_id for e in seen] == [OUTWARD_ID, CAMERA_IN_GROUP]
    assert seen[0].alarm_at == at and seen[0].description == f"alarm of {CAMERA_RENAMED}"


async def _is(node: Vigil, channel_id: str, status: str | None) -> bool:
    return await status_on(node, channel_id) == status


async def test_positions_of_shared_cameras_reach_a_subscribed_upper(
    pair: tuple[Vigil, Vigil, int],
) -> None:
    upper, lower, platform_id = pair
    await eventually(
        lambda: lower.cascade_notifier.subscriptions.holds(platform_id, "mobileposition")
    )
    seen: list[DevicePositionReported] = []

    async def collect(event: Event) -> None:
        assert isinstance(event, DevicePositionReported)
        seen.append(event)

    upper.bus.subscribe("device.position", collect)
    at = datetime(2026, 12, 3, 1, 2, 3, tzinfo=UTC)
    for source, longitude in ((CAMERA_HIDDEN, 117.1), (CAMERA_RENAMED, 117.2)):
        await lower.bus.publish(
            DevicePositionReported(
                device_id=NVR,
                source_id=source,
                fix_at=at,
                longitude=longitude,
                latitude=31.8,
                speed=None,
                direction=None,
            )
        )
    await eventually(lambda: len(seen) >= 1)
    await asyncio.sleep(0.3)  # the unshared camera's fix, published first, never comes
    assert [(e.source_id, e.longitude) for e in seen] == [(OUTWARD_ID, 117.2)]
