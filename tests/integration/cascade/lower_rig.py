"""A node with a simulated lower platform (``vigil.sim.platform``) registered to it, over loopback.

The platform registers with digest like a device, answers the catalog query with its tree in
pages of four items, accepts the catalog subscription, and streams any of its channels. Helpers
read back what the node stored, so tests compare it with the items the platform sent.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from tests.integration.gb28181.conftest import DEVICE_PASSWORD, gb_settings
from tests.integration.gb28181.simulated import SMALL
from vigil.app import Vigil
from vigil.governance.permissions import SYSTEM
from vigil.protocols.manscdp import CatalogItem
from vigil.sim import DeviceConfig
from vigil.sim.platform import SimPlatform
from vigil.sim.platform_tree import PlatformTree, make_tree
from vigil.store.models import Channel, Device, Platform, PlatformDirection, VirtualGroup
from vigil.store.models.platforms import virtual_group_channels

PLATFORM_ID = "34010400002000000003"


@dataclass
class Stored:
    """The lower platform's tree as the node stored it."""

    platform: Platform
    groups: dict[str, VirtualGroup]
    devices: dict[str, Device]
    channels: dict[str, Channel]
    members: dict[str, set[str]]  # channel → groups


@dataclass
class LowerRig:
    """A node and the simulated lower platform registered with it."""

    node: Vigil
    sim: SimPlatform

    async def stored(self) -> Stored:
        async with self.node.db.session() as session:
            platform = await session.scalar(
                select(Platform).where(
                    Platform.direction == PlatformDirection.LOWER, Platform.sip_id == PLATFORM_ID
                )
            )
            assert platform is not None
            groups = (
                await session.scalars(
                    select(VirtualGroup).where(VirtualGroup.platform_id == platform.id)
                )
            ).all()
            devices = (
                await session.scalars(select(Device).where(Device.platform_id == platform.id))
            ).all()
            channels = (
                await session.scalars(
                    select(Channel).where(Channel.device_id.in_([d.id for d in devices]))
                )
            ).all()
            members: dict[str, set[str]] = {c.id: set() for c in channels}
            for group_id, channel_id in (
                await session.execute(select(virtual_group_channels))
            ).all():
                if channel_id in members:
                    members[channel_id].add(group_id)
        return Stored(
            platform,
            {g.id: g for g in groups},
            {d.id: d for d in devices},
            {c.id: c for c in channels},
            members,
        )


async def wait_for(check: Callable[[], Awaitable[bool]], timeout: float = 10.0) -> None:
    """Poll ``check`` until it holds; fail after ``timeout`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await check():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


@asynccontextmanager
async def lower_rig(
    tmp_path: Path,
    database_url: str,
    *,
    tree: PlatformTree | None = None,
    items: list[CatalogItem] | None = None,
    edition: str = "2016",
    transport: str = "udp",
    password: str | None = None,
    **settings: Any,
) -> AsyncIterator[LowerRig]:
    """A started node, the platform's device row, the sim platform registered and its catalog
    imported (``items`` instead of the tree: the raw catalog to answer with; ``password``: the
    platform's own, set through the node, instead of the shared one)."""
    low = random.randrange(31000, 39000, 200)
    # Presence is not what these tests are about: a platform is not declared offline (which drops
    # the node's subscriptions, so the next registration subscribes again) because a loaded
    # machine delayed two of its 1 s keepalives.
    values: dict[str, Any] = {
        "rtp_ports": f"{low}-{low + 199}",
        "subscribe_expires": 60,
        "keepalive_missed": 10,
    }
    values.update(settings)
    node = Vigil(gb_settings(tmp_path, database_url, **values))
    await node.start(serving=True)
    node.media.hub.linger = 0.1
    sim: SimPlatform | None = None
    try:
        await node.devices.create(SYSTEM, PLATFORM_ID, {"name": "district platform"})
        if password is not None:
            await node.gb.set_password(SYSTEM, PLATFORM_ID, password)
        config = DeviceConfig(
            device_id=PLATFORM_ID,
            server=("127.0.0.1", node.gb.port),
            password=password or DEVICE_PASSWORD,
            gb_version="2022" if edition == "2022" else "2016",
            transport="tcp" if transport == "tcp" else "udp",
            keepalive_interval=1.0,
            catalog_page_size=4,
            video=SMALL,
        )
        sim = SimPlatform(config, tree or make_tree(PLATFORM_ID, edition=edition))
        sim.send_catalog_items(items)
        await sim.start()
        await sim.wait_registered(10)
        rig = LowerRig(node, sim)
        await wait_for(lambda: _synced(rig), 15)
        yield rig
    finally:
        if sim is not None:
            await sim.stop()
        await node.stop()


async def _synced(rig: LowerRig) -> bool:
    """The node subscribes to the catalog only after the catalog query's answer was stored."""
    return len(rig.sim.subscriptions.of("catalog")) == 1
