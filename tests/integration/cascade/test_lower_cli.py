"""``vigil sim platform`` runs a lower platform that a node imports, then unregisters it."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from sqlalchemy import select

from tests.integration.cascade.lower_rig import wait_for
from tests.integration.gb28181.conftest import DEVICE_PASSWORD, gb_settings
from vigil.app import Vigil
from vigil.governance.permissions import SYSTEM
from vigil.store.models import VirtualGroup

PLATFORM = "34010400002000000021"


async def test_cli_platform_is_imported_then_unregisters(tmp_path: Path, database_url: str) -> None:
    node = Vigil(gb_settings(tmp_path, database_url, subscribe_expires=60))
    await node.start(serving=True)
    try:
        await node.devices.create(SYSTEM, PLATFORM, {"name": "cli platform"})
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            *("-m", "vigil.cli", "sim", "platform", "--platform-id", PLATFORM),
            *("--server", f"127.0.0.1:{node.gb.port}", "--gb-version", "2022"),
            *("--business-groups", "1", "--nvrs", "1", "--channels", "2"),
            *("--keepalive", "0.5", "--duration", "4"),
            env={"VIGIL_SIP_PASSWORD": DEVICE_PASSWORD, "PATH": "/usr/bin:/bin"},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )

        async def imported() -> bool:
            async with node.db.session() as session:
                groups = (await session.scalars(select(VirtualGroup.parent_id))).all()
            return len(groups) == 4  # one business group, three virtual organisations

        await wait_for(imported, 20)
        stdout, stderr = await asyncio.wait_for(process.communicate(), 60)
        assert process.returncode == 0, stderr.decode()
        assert f"platform {PLATFORM} registered: " in stdout.decode()

        async def unregistered() -> bool:
            return node.gb.device(PLATFORM) is None

        await wait_for(unregistered)
    finally:
        await node.stop()
