"""Two Vigil nodes on loopback, district → city, the way the issue's "done when" reads.

The district has a simulated NVR with three cameras and shares a virtual tree (215 → 216 → the
first camera) and the second camera under an outward ID with the city, through its upper link.
The city imports the tree as a lower platform and then, through the cascade only: sees the same
structure, plays live video of a district camera (decoded with PyAV) and its playback (the NVR's
own recording, relayed by the district), moves its PTZ, follows it going offline and online, and
cannot reach the camera that was not shared.
"""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import av
import pytest
from sqlalchemy import select

from tests.conftest import ADMIN_PASSWORD
from tests.integration.cascade.levels import (
    BUSINESS_GROUP,
    CITY_DOMAIN,
    CITY_ID,
    DISTRICT_ID,
    OUTWARD_ID,
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
from vigil.gb28181.calls.media_call import StreamFailed
from vigil.governance.audited import Caller
from vigil.governance.permissions import SYSTEM
from vigil.media.packet import StreamKey
from vigil.protocols.ptz import Motion, Pan
from vigil.store.models import Channel, VirtualGroup
from vigil.store.models.platforms import Platform, PlatformDirection, virtual_group_channels


@pytest.fixture
async def cascade(tmp_path: Path) -> AsyncIterator[tuple[Vigil, District]]:
    city = await start_level(tmp_path, "city", CITY_ID, CITY_DOMAIN)
    district: District | None = None
    try:
        district = await start_district(tmp_path)
        await link(district.node, city, CITY_ID, CITY_DOMAIN, *district_shares(district))
        await imported(city, {district.in_group, OUTWARD_ID})
        yield city, district
    finally:
        if district is not None:
            await district.nvr.stop()
            await district.node.stop()
        await city.stop()


async def test_the_city_sees_the_shared_tree_with_the_same_structure(
    cascade: tuple[Vigil, District],
) -> None:
    city, district = cascade
    async with city.db.session() as session:
        groups = {g.id: g for g in (await session.scalars(select(VirtualGroup))).all()}
        members = set((await session.execute(select(virtual_group_channels))).all())
        channels = {
            c.id: c
            for c in (
                await session.scalars(
                    select(Channel).where(
                        Channel.id.in_([district.in_group, district.renamed, district.hidden])
                        | (Channel.id == OUTWARD_ID)
                    )
                )
            ).all()
        }
        platform = await session.scalar(
            select(Platform).where(
                Platform.direction == PlatformDirection.LOWER, Platform.sip_id == DISTRICT_ID
            )
        )
    assert platform is not None
    # The 215 at the top of the district's node, the 216 under it, the cameras where shared.
    assert (groups[BUSINESS_GROUP].parent_id, groups[BUSINESS_GROUP].platform_id) == (
        None,
        platform.id,
    )
    assert groups[VIRTUAL_ORG].parent_id == BUSINESS_GROUP
    assert (VIRTUAL_ORG, district.in_group) in members
    assert (BUSINESS_GROUP, OUTWARD_ID) in members
    assert set(channels) == {district.in_group, OUTWARD_ID}  # renamed; the third not there
    assert channels[OUTWARD_ID].name == district.nvr.channels[1].name


async def test_live_through_the_cascade_decodes(cascade: tuple[Vigil, District]) -> None:
    city, district = cascade
    for channel in (district.in_group, OUTWARD_ID):
        subscription = await city.media.hub.subscribe(StreamKey(channel))
        try:
            packets = await take(subscription, 30)
            assert packets[0].keyframe
            assert decode(packets) >= 25
            # One stream on the district, fed by one call to the camera behind it.
            [upper_call] = district.node.cascade_media.calls.values()
            assert upper_call.outward_id == channel
            [camera_call] = district.nvr.calls.active.values()
            expected = district.in_group if channel == district.in_group else district.renamed
            assert camera_call.channel_id == expected
        finally:
            subscription.close()
        await eventually(lambda: not district.node.cascade_media.calls)
        await eventually(lambda: not district.nvr.calls.active)
        await eventually(lambda: not district.node.media.ports.in_use)


async def test_playback_through_the_cascade_ends_with_the_range(
    cascade: tuple[Vigil, District],
) -> None:
    city, district = cascade
    now = int(time.time())
    start, end = datetime.fromtimestamp(now - 7200, UTC), datetime.fromtimestamp(now - 7197, UTC)
    # A video view belongs to a login session: the city's admin logs in to open it.
    issued = await city.auth.login("admin", ADMIN_PASSWORD, Caller.anonymous("127.0.0.1"))
    admin = await city.auth.authenticate(issued.token)
    caller = Caller(admin, "127.0.0.1", purpose="cascade playback test")
    session, _token = await city.device_playback.open(
        caller, district.in_group, start, end, 1.0, None
    )
    chunks: list[bytes] = []
    texts: list[str] = []

    async def send(item: str | bytes) -> None:
        (texts if isinstance(item, str) else chunks).append(item)  # type: ignore[arg-type]

    try:
        async with asyncio.timeout(20):
            await session.run(send)
    finally:
        await city.device_playback.close(session)
    assert texts[-1] == '{"type": "end"}'  # the NVR's MediaStatus 121, relayed by the district
    with av.open(io.BytesIO(b"".join(chunks)), "r", format="mp4") as container:
        frames = sum(1 for _ in container.decode(video=0))
    assert frames >= 50  # about 3 s at 25 fps
    await eventually(lambda: not district.node.cascade_media.calls)
    await eventually(lambda: not district.nvr.calls.active)


async def test_ptz_through_the_cascade(cascade: tuple[Vigil, District]) -> None:
    city, district = cascade
    await city.controls.ptz(Caller(SYSTEM, "127.0.0.1"), OUTWARD_ID, "left", 0x40)
    await eventually(lambda: district.nvr.controls.motion(district.renamed) is not None)
    assert district.nvr.controls.motion(district.renamed) == Motion(pan=Pan.LEFT, pan_speed=0x40)


async def test_the_unshared_camera_cannot_be_reached(cascade: tuple[Vigil, District]) -> None:
    city, district = cascade
    with pytest.raises(StreamFailed) as failed:
        await city.gb_media.call(StreamKey(district.hidden), DISTRICT_ID)
    assert failed.value.stage == "SDP rejected" and "404" in failed.value.detail
    assert not district.nvr.calls.active
    assert not district.node.media.ports.in_use and not city.gb_media.calls


async def test_the_city_follows_the_camera_going_offline_and_online(
    cascade: tuple[Vigil, District],
) -> None:
    city, district = cascade

    def status_is(wanted: str) -> Callable[[], Awaitable[bool]]:
        async def check() -> bool:
            async with city.db.session() as session:
                channel = await session.get(Channel, district.in_group)
                return channel is not None and channel.status == wanted

        return check

    # The import (the fixture's wait) and the camera's status are two steps: on a loaded machine
    # the status came after the test began.
    await eventually(status_is("online"), timeout=15)
    await district.nvr.stop()  # unregisters: the district marks its cameras offline
    await eventually(status_is("offline"), timeout=15)  # NOTIFY OFF reached the city
    await district.nvr.start()
    await district.nvr.wait_registered(10)
    await eventually(status_is("online"), timeout=15)  # and NOTIFY ON


async def test_live_over_a_tcp_link(tmp_path: Path) -> None:
    """The district registered over TCP: the city's INVITE, the ACK and BYEs share the link's
    connection, and the media still flows (over UDP)."""
    city = await start_level(tmp_path, "city", CITY_ID, CITY_DOMAIN)
    district = await start_district(tmp_path)
    try:
        shares = district_shares(district)
        await link(district.node, city, CITY_ID, CITY_DOMAIN, *shares, transport="tcp")
        await imported(city, {district.in_group, OUTWARD_ID})
        subscription = await city.media.hub.subscribe(StreamKey(district.in_group))
        try:
            packets = await take(subscription, 30)
            assert packets[0].keyframe and decode(packets) >= 25
            [upper_call] = district.node.cascade_media.calls.values()
            assert upper_call.peer.transport == "tcp"
        finally:
            subscription.close()
        await eventually(lambda: not district.node.cascade_media.calls)
        await eventually(lambda: not district.nvr.calls.active and not city.gb_media.calls)
    finally:
        await district.nvr.stop()
        await district.node.stop()
        await city.stop()
