"""A node with its SIP endpoint up and a registered simulated NVR (``vigil.sim``), over loopback.

The media tests and the control tests talk to the same kind of peer ``make demo`` starts: a
:class:`SimDevice` that registers with digest, reports its catalog in pages, answers INVITE with
PS over RTP (UDP, TCP either way), BYE, INFO and DeviceControl.
"""

from __future__ import annotations

import asyncio
import io
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import av
import httpx
from sqlalchemy import func, select

from tests.conftest import ADMIN_PASSWORD
from tests.integration.gb28181.conftest import DEVICE_PASSWORD, NodeFactory
from vigil.api.server import create_api
from vigil.app import Vigil
from vigil.governance.permissions import SYSTEM
from vigil.media.fanout import Subscription
from vigil.media.packet import MediaPacket
from vigil.sim import DeviceConfig, SimDevice, VideoSpec
from vigil.store.models import Channel

SMALL = VideoSpec(width=320, height=180, bitrate=200_000, loop_seconds=0.8, gop_seconds=0.4)
NVR = "34010400001180000001"


@dataclass
class Rig:
    node: Vigil
    device: SimDevice

    @property
    def channels(self) -> list[str]:
        return [ch.channel_id for ch in self.device.channels]


async def wait_for(check: Callable[[], bool | Awaitable[bool]], timeout: float = 10.0) -> None:
    """Poll ``check`` until it holds; fail after ``timeout`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        result = check()
        done = result if isinstance(result, bool) else bool(await result)
        if done:
            return
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


async def start_rig(
    gb_factory: NodeFactory, node_settings: dict[str, Any] | None = None, **device: Any
) -> AsyncIterator[Rig]:
    """A node (``node_settings`` over the test defaults) and a simulated NVR registered to it
    with its catalog in; ``device`` over the NVR's defaults."""
    # A range of its own per node: a TCP-active port left in TIME_WAIT by an earlier test's node
    # (every pool starts at its low end) cannot be bound again at once (see the issue 4 report).
    low = random.randrange(31000, 39000, 200)
    node = await gb_factory(rtp_ports=f"{low}-{low + 199}", **(node_settings or {}))
    node.media.hub.linger = 0.1
    node.gb_media.backoff = 0.1
    await node.devices.create(SYSTEM, NVR, {"name": "sim NVR"})
    config: dict[str, Any] = {
        "device_id": NVR,
        "server": ("127.0.0.1", node.gb.port),
        "password": DEVICE_PASSWORD,
        "channels": 4,
        "keepalive_interval": 1.0,
        "video": SMALL,
    }
    config.update(device)
    sim = SimDevice(DeviceConfig(**config))
    await sim.start()
    try:
        await sim.wait_registered(10)

        async def catalogued() -> bool:
            async with node.db.session() as session:
                count = await session.scalar(
                    select(func.count()).select_from(Channel).where(Channel.device_id == NVR)
                )
            return bool(count == config["channels"])

        await wait_for(catalogued)
        yield Rig(node, sim)
    finally:
        await sim.stop()


async def admin_api(node: Vigil) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client of ``node``'s API (in process), logged in as admin."""
    transport = httpx.ASGITransport(app=create_api(node), client=("127.0.0.9", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://vigil.test") as http:
        response = await http.post(
            "/api/v1/auth/token", data={"username": "admin", "password": ADMIN_PASSWORD}
        )
        http.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
        yield http


async def take(subscription: Subscription[MediaPacket], count: int) -> list[MediaPacket]:
    """The next ``count`` packets (bounded in time)."""
    packets: list[MediaPacket] = []
    async with asyncio.timeout(15):
        async for packet in subscription:
            packets.append(packet)
            if len(packets) == count:
                break
    return packets


def decode(packets: list[MediaPacket]) -> int:
    """How many frames PyAV decodes from the packets' Annex B (the stream is really H.264)."""
    stream = io.BytesIO(b"".join(p.data for p in packets))
    with av.open(stream, mode="r", format="h264") as container:
        return len(list(container.decode(video=0)))
