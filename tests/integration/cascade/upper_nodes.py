"""Helpers for the upper-link tests: Vigil nodes with their own data and database on loopback,
and upper-platform rows written straight into a node's database."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from tests.conftest import ADMIN_PASSWORD
from tests.integration.gb28181.conftest import free_sip_port
from vigil.app import Vigil
from vigil.config import load_settings
from vigil.governance.permissions import SYSTEM
from vigil.store.models import Channel, Device, OrgKind
from vigil.store.models.platforms import Platform, PlatformDirection, PlatformShare, ShareKind

UPPER_ID = "34020000002000000009"
UPPER_DOMAIN = "3402000000"
LOWER_ID = "34010200002000000001"
LINK_PASSWORD = "Upper-Link-7"


async def start_node(root: Path, name: str, **overrides: Any) -> Vigil:
    """A started node (SIP included) keeping its data under ``root/name``."""
    data = root / name
    values: dict[str, Any] = {
        "data_dir": data,
        "database_url": f"sqlite+aiosqlite:///{data / 'vigil.db'}",
        "admin_password": ADMIN_PASSWORD,
        "sip_port": free_sip_port(),
        "keepalive_interval": 1,
        "keepalive_missed": 2,
        "catalog_timeout": 1.0,
        "subscribe_expires": 0,
        **overrides,
    }
    node = Vigil(load_settings(**values))
    await node.start(serving=True)
    return node


async def add_upper(node: Vigil, port: int, **fields: Any) -> int:
    """An enabled upper-platform row on ``node`` pointing at 127.0.0.1:``port``; its id."""
    values: dict[str, Any] = {
        "direction": PlatformDirection.UPPER,
        "sip_id": UPPER_ID,
        "domain": UPPER_DOMAIN,
        "name": "city",
        "host": "127.0.0.1",
        "port": port,
        "transport": "udp",
        "password": LINK_PASSWORD,
        "register_expires": 3600,
        "keepalive_interval": 1,
        "keepalive_missed": 2,
        **fields,
    }
    async with node.db.session() as session, session.begin():
        platform = Platform(**values)
        session.add(platform)
        await session.flush()
        platform_id: int = platform.id
    await node.upper_links.reload()
    return platform_id


async def eventually(check: Callable[[], bool | Awaitable[bool]], timeout: float = 10.0) -> None:
    """Poll ``check`` until it holds; fail after ``timeout`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        result = check()
        if not isinstance(result, bool):
            result = await result
        if result:
            return
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


# A lower node's catalog: one region, one NVR, three cameras; a business group with a virtual
# organisation under it. Tests share some of it and check the rest stays invisible.
REGION = "340102"
NVR = "34010200001180000001"
CAMERA_IN_GROUP = "34010200001320000001"
CAMERA_RENAMED = "34010200001320000002"
CAMERA_HIDDEN = "34010200001320000003"
OUTWARD_ID = "34010200001320000099"
BUSINESS_GROUP = "34010200002150000001"
VIRTUAL_ORG = "34010200002160000001"


async def seed_lower(node: Vigil) -> None:
    """The catalog above, written through the services as the system; cameras online."""
    await node.organisations.create(SYSTEM, REGION, "瑶海区", OrgKind.region, None)
    await node.devices.create(SYSTEM, NVR, {"name": "NVR", "organisation_id": REGION})
    for channel_id in (CAMERA_IN_GROUP, CAMERA_RENAMED, CAMERA_HIDDEN):
        await node.channels.create(SYSTEM, channel_id, NVR, {"name": f"camera {channel_id[-1]}"})
    await node.virtual_groups.create(SYSTEM, BUSINESS_GROUP, "治安监控", None)
    await node.virtual_groups.create(SYSTEM, VIRTUAL_ORG, "重点单位", BUSINESS_GROUP)
    await node.virtual_groups.add_channels(SYSTEM, VIRTUAL_ORG, [CAMERA_IN_GROUP])
    await set_online(node, [CAMERA_IN_GROUP, CAMERA_RENAMED, CAMERA_HIDDEN], True)


async def set_online(node: Vigil, channel_ids: list[str], online: bool) -> None:
    async with node.db.session() as session, session.begin():
        device = await session.get(Device, NVR)
        assert device is not None
        device.online = True
        for channel_id in channel_ids:
            channel = await session.get(Channel, channel_id)
            assert channel is not None
            channel.status = "online" if online else "offline"


async def share(node: Vigil, platform_id: int, *entries: PlatformShare) -> None:
    async with node.db.session() as session, session.begin():
        for entry in entries:
            entry.platform_id = platform_id
            session.add(entry)


def standard_shares() -> list[PlatformShare]:
    """The business group (with its 216 and the camera in it) and one camera renamed under the
    business group; the third camera is not shared."""
    return [
        PlatformShare(kind=ShareKind.virtual_group, target_id=BUSINESS_GROUP),
        PlatformShare(
            kind=ShareKind.channel,
            target_id=CAMERA_RENAMED,
            outward_id=OUTWARD_ID,
            parent_group_id=BUSINESS_GROUP,
        ),
    ]
