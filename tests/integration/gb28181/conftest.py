"""A started node with its SIP endpoint on a free loopback port, short keepalive timings."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import ADMIN_PASSWORD
from tests.integration.gb28181.device import DeviceConfig, TestDevice
from tests.ports import free_port
from vigil.api.server import create_api
from vigil.app import Vigil
from vigil.config import load_settings
from vigil.governance.permissions import SYSTEM

DEVICE_PASSWORD = "Device-Pass-1"
DEVICE_ID = "34010400001320000001"


def free_sip_port() -> int:
    """A port free for both UDP and TCP on 127.0.0.1, this worker's own (``tests.ports``)."""
    return free_port()


def gb_settings(tmp_path: Path, database_url: str, **overrides: Any) -> Any:
    values: dict[str, Any] = {
        "data_dir": tmp_path / "data",
        "database_url": database_url,
        "admin_password": ADMIN_PASSWORD,
        "sip_port": free_sip_port(),
        "sip_password": DEVICE_PASSWORD,
        "keepalive_interval": 1,
        # 4 s of silence makes a device offline: short enough for the test that waits for it,
        # long enough that a loaded machine's stalls (over 2 s, seen in a full parallel run)
        # do not take a simulated device offline under a test about something else.
        "keepalive_missed": 4,
        "catalog_timeout": 1.0,
        "subscribe_expires": 0,
    }
    values.update(overrides)
    return load_settings(**values)


NodeFactory = Callable[..., Awaitable[Vigil]]


@pytest.fixture
async def gb_factory(tmp_path: Path, database_url: str) -> AsyncIterator[NodeFactory]:
    """Start a node with given setting overrides (one per test)."""
    started: list[Vigil] = []

    async def make(**overrides: Any) -> Vigil:
        node = Vigil(gb_settings(tmp_path, database_url, **overrides))
        await node.start(serving=True)
        started.append(node)
        return node

    yield make
    for node in started:
        await node.stop()


@pytest.fixture
async def gb_node(gb_factory: NodeFactory) -> Vigil:
    node = await gb_factory()
    await node.devices.create(SYSTEM, DEVICE_ID, {"name": "camera one"})
    return node


@pytest.fixture
async def api(gb_node: Vigil) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_api(gb_node), client=("127.0.0.9", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://vigil.test") as http:
        response = await http.post(
            "/api/v1/auth/token", data={"username": "admin", "password": ADMIN_PASSWORD}
        )
        http.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
        yield http


def device(
    node: Vigil,
    device_id: str = DEVICE_ID,
    transport: str = "udp",
    local_host: str = "127.0.0.1",
    **config: Any,
) -> TestDevice:
    """A test device of ``node``, sending from ``local_host`` (any 127.x.y.z)."""
    return TestDevice(
        DeviceConfig(device_id, DEVICE_PASSWORD, **config),
        ("127.0.0.1", node.gb.port),
        transport,
        local_host,
    )


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 5.0) -> None:
    """Poll ``check`` until it holds; fail after ``timeout`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await check():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)
