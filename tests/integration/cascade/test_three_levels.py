"""Three Vigil nodes on loopback, district → city → province: the province plays live video of a
district camera through the city, each level passing on what it was shared, never transcoding.

The district shares its virtual tree with the city (see :mod:`.levels`); the city shares the
business group it imported — a group of a lower platform, with the 216 and the cameras under it —
with the province. The province sees the same 215 → 216 → camera structure, and a live view it
opens runs province hub → city (upper call → its hub → call to the district) → district (upper call
→ its hub → call to the NVR): one call per level, all gone once the viewer leaves.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.integration.cascade.levels import (
    BUSINESS_GROUP,
    CITY_DOMAIN,
    CITY_ID,
    OUTWARD_ID,
    PROVINCE_DOMAIN,
    PROVINCE_ID,
    VIRTUAL_ORG,
    District,
    district_shares,
    imported,
    link,
    start_district,
    start_level,
)
from tests.integration.cascade.upper_nodes import eventually
from tests.integration.gb28181.simulated import decode, take
from vigil.app import Vigil
from vigil.media.packet import StreamKey
from vigil.store.models import VirtualGroup
from vigil.store.models.platforms import PlatformShare, ShareKind, virtual_group_channels


@dataclass
class Levels:
    province: Vigil
    city: Vigil
    district: District

    def idle(self) -> bool:
        nodes = (self.province, self.city, self.district.node)
        busy = any(n.cascade_media.calls or n.gb_media.calls or n.media.ports.in_use for n in nodes)
        return not busy and not self.district.nvr.calls.active


@pytest.fixture
async def levels(tmp_path: Path) -> AsyncIterator[Levels]:
    province = await start_level(tmp_path, "province", PROVINCE_ID, PROVINCE_DOMAIN)
    city: Vigil | None = None
    district: District | None = None
    try:
        city = await start_level(tmp_path, "city", CITY_ID, CITY_DOMAIN)
        district = await start_district(tmp_path)
        await link(district.node, city, CITY_ID, CITY_DOMAIN, *district_shares(district))
        await imported(city, {district.in_group, OUTWARD_ID})
        group = PlatformShare(kind=ShareKind.virtual_group, target_id=BUSINESS_GROUP)
        await link(city, province, PROVINCE_ID, PROVINCE_DOMAIN, group)
        await imported(province, {district.in_group, OUTWARD_ID})
        yield Levels(province, city, district)
    finally:
        if district is not None:
            await district.nvr.stop()
            await district.node.stop()
        if city is not None:
            await city.stop()
        await province.stop()


async def test_the_province_sees_the_districts_tree(levels: Levels) -> None:
    async with levels.province.db.session() as session:
        groups = {g.id: g for g in (await session.scalars(select(VirtualGroup))).all()}
        members = set((await session.execute(select(virtual_group_channels))).all())
    assert groups[VIRTUAL_ORG].parent_id == BUSINESS_GROUP
    assert (VIRTUAL_ORG, levels.district.in_group) in members
    assert (BUSINESS_GROUP, OUTWARD_ID) in members


async def test_the_province_plays_live_from_a_district_camera(levels: Levels) -> None:
    district = levels.district
    subscription = await levels.province.media.hub.subscribe(StreamKey(district.in_group))
    try:
        packets = await take(subscription, 30)
        assert packets[0].keyframe
        assert decode(packets) >= 25
        # One call at each level: the city serving the province, the district serving the city.
        assert len(levels.city.cascade_media.calls) == 1
        assert len(district.node.cascade_media.calls) == 1
        [camera_call] = district.nvr.calls.active.values()
        assert camera_call.channel_id == district.in_group
    finally:
        subscription.close()
    await eventually(levels.idle, timeout=15)
