"""A serving node with the demo's devices for the analytics tests: the simulated NVR registered,
the footage camera (``FOOTAGE_CAMERA_ID``) streaming ``vtest.avi`` and recorded, its demo rules
and the demo's linkage seeded (see :mod:`vigil.demo_rules`)."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from tests.conftest import ADMIN_PASSWORD
from tests.ports import free_port
from tests.unit.sim.footage import VTEST
from vigil.app import Vigil
from vigil.config import load_settings
from vigil.demo import DemoFleet, seed_demo

__all__ = ["demo_node"]


@contextlib.asynccontextmanager
async def demo_node(
    tmp_path: Path, template: Path, analytics: bool, **overrides: Any
) -> AsyncIterator[Vigil]:
    """A serving node on SQLite (a copy of the migrated ``template``) under ``tmp_path``, the
    footage camera streaming; ``analytics``: the node's own live analytics runs the channels'
    stored rules; ``overrides``: further settings."""
    database = tmp_path / "vigil.db"
    shutil.copyfile(template, database)
    settings = load_settings(
        data_dir=tmp_path / "data",
        database_url=f"sqlite+aiosqlite:///{database}",
        admin_password=ADMIN_PASSWORD,
        sip_port=free_port(),
        analytics_enabled=analytics,
        **overrides,
    )
    node = Vigil(settings)
    await node.start(serving=True)
    fleet = DemoFleet(node, footage=VTEST)
    try:
        await seed_demo(node, cameras=False)
        await fleet.start()
        assert fleet.footage_note is None
        yield node
    finally:
        await fleet.stop()
        await node.stop()
