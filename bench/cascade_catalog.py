"""Cascade catalog: how long an upper platform waits for a lower Vigil's shared tree.

Run as ``.venv/bin/python bench/cascade_catalog.py [channels]``. Two Vigil nodes on loopback
(SQLite, UDP): the lower one has ``channels`` cameras (default 2,000) in 10 districts, shares them
by organisation, and registers to the upper one through its upper link. The upper one then asks
for the catalog three times; each answer is the whole tree (11 civil-code nodes and the channels)
in parts of 20 items, each part its own MESSAGE with ``SumNum``. Reported: the wall time of each
round (the lower resolving the shares, building and sending the parts, the upper receiving and
storing them) and items per second; and how long the lower took to register.

The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import asyncio
import json
import socket
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from vigil.app import Vigil
from vigil.config import load_settings
from vigil.governance.permissions import SYSTEM
from vigil.store.models import Channel, Device, OrgKind
from vigil.store.models.platforms import Platform, PlatformDirection, PlatformShare, ShareKind

ROUNDS = 3
UPPER_ID, UPPER_DOMAIN = "34020000002000000009", "3402000000"
LOWER_ID = "34010200002000000001"
PASSWORD = "Bench-Link-Pass-1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        udp.bind(("127.0.0.1", 0))
        port: int = udp.getsockname()[1]
        return port


async def start_node(root: Path, name: str, **overrides: Any) -> Vigil:
    data = root / name
    settings = load_settings(
        data_dir=data,
        database_url=f"sqlite+aiosqlite:///{data / 'vigil.db'}",
        admin_password=PASSWORD,
        sip_port=free_port(),
        subscribe_expires=0,
        keepalive_interval=30,
        **overrides,
    )
    node = Vigil(settings)
    await node.start(serving=True)
    return node


async def wait(check: Callable[[], bool], timeout: float) -> None:
    deadline = time.perf_counter() + timeout
    while not check():
        assert time.perf_counter() < deadline, "not in time"
        await asyncio.sleep(0.02)


async def seed(node: Vigil, channels: int) -> None:
    await node.organisations.create(SYSTEM, "3401", "合肥市", OrgKind.region, None)
    rows: list[dict[str, object]] = []
    devices: list[dict[str, object]] = []
    for district in range(10):
        code = f"3401{district + 2:02d}"
        await node.organisations.create(SYSTEM, code, f"区 {code}", OrgKind.region, "3401")
        device = f"{code}0000118{district:07d}"
        devices.append({"id": device, "name": f"NVR {code}", "organisation_id": code})
        for n in range(channels // 10):
            rows.append(
                {
                    "id": f"{code}0000132{district:01d}{n:06d}",
                    "device_id": device,
                    "name": f"camera {n}",
                    "organisation_id": code,
                    "status": "online",
                }
            )
    async with node.db.session() as session, session.begin():
        await session.execute(insert(Device), devices)
        await session.execute(insert(Channel), rows)


async def main(channels: int) -> dict[str, object]:
    root = Path(tempfile.mkdtemp(prefix="cascade-catalog-"))
    upper = await start_node(
        root,
        "upper",
        sip_id=UPPER_ID,
        sip_domain=UPPER_DOMAIN,
        sip_password=PASSWORD,
        sip_admit_unknown=True,
        catalog_timeout=10.0,
    )
    lower = await start_node(root, "lower", sip_id=LOWER_ID)
    try:
        await seed(lower, channels)
        began = time.perf_counter()
        async with lower.db.session() as session, session.begin():
            platform = Platform(
                direction=PlatformDirection.UPPER,
                sip_id=UPPER_ID,
                domain=UPPER_DOMAIN,
                name="upper",
                host="127.0.0.1",
                port=upper.gb.port,
                password=PASSWORD,
                keepalive_interval=30,
            )
            session.add(platform)
            await session.flush()
            platform_id = platform.id
            session.add(
                PlatformShare(
                    platform_id=platform_id, kind=ShareKind.organisation, target_id="3401"
                )
            )
        await lower.upper_links.reload()
        await wait(lambda: lower.upper_links.state(platform_id).registered, timeout=30)
        registered = time.perf_counter() - began
        seconds: list[float] = []
        items = 0
        for _ in range(ROUNDS):
            start = time.perf_counter()
            result = await upper.gb.sync_catalog(LOWER_ID)
            seconds.append(time.perf_counter() - start)
            assert result.complete and result.expected == len(result.items), result.expected
            items = len(result.items)
        return {
            "channels": channels,
            "items": items,
            "parts": -(-items // 20),
            "register_s": round(registered, 3),
            "catalog_s": [round(s, 3) for s in seconds],
            "items_per_s": round(items / min(seconds)),
        }
    finally:
        await lower.stop()
        await upper.stop()


if __name__ == "__main__":
    figures = asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000))
    width = max(map(len, figures))
    for name, value in figures.items():
        print(f"{name:<{width}}  {value}")
    print(
        "reference: none yet. Nothing in this run does the same work another way (a bare "
        "MESSAGE round trip per part would be the floor); the figures are end-to-end wall "
        "times on loopback, SQLite on this disk included."
    )
    print(json.dumps(figures))
