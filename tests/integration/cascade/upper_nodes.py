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
from vigil.store.models.platforms import Platform, PlatformDirection

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
    await node.start()
    await node.start_sip()
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
        platform_id = platform.id
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
