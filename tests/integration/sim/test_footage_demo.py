"""The demo's footage camera: with the footage its stream is the clip's size (768×576), encoded
once into the data dir; without it the demo still starts, every camera streams, and the log and
``footage_note`` say why the footage camera sends the synthetic picture."""

from __future__ import annotations

import logging
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import ADMIN_PASSWORD
from tests.ports import free_port
from tests.unit.sim.footage import VTEST, needs_vtest
from vigil.app import Vigil
from vigil.config import load_settings
from vigil.demo import CAMERAS, D1_VIDEO, FOOTAGE_CAMERA_ID, DemoFleet, seed_demo
from vigil.store.models import StreamResolution

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
async def serving_node(tmp_path: Path, sqlite_template: Path) -> AsyncIterator[Vigil]:
    """A serving node (SIP on a free port) on SQLite, with the demo's organisations and devices."""
    database = tmp_path / "vigil.db"
    shutil.copyfile(sqlite_template, database)
    settings = load_settings(
        data_dir=tmp_path / "data",
        database_url=f"sqlite+aiosqlite:///{database}",
        admin_password=ADMIN_PASSWORD,
        sip_port=free_port(),
    )
    node = Vigil(settings)
    await node.start(serving=True)
    try:
        await seed_demo(node, cameras=False)
        yield node
    finally:
        await node.stop()


async def stream_sizes(node: Vigil) -> dict[str, tuple[int, int]]:
    async with node.db.session() as session:
        rows = (await session.scalars(select(StreamResolution))).all()
    return {row.channel_id: (row.width, row.height) for row in rows}


@needs_vtest
async def test_the_footage_camera_streams_the_footage(serving_node: Vigil) -> None:
    fleet = DemoFleet(serving_node, footage=VTEST)
    try:
        await fleet.start()
        sizes = await stream_sizes(serving_node)
    finally:
        await fleet.stop()
    assert fleet.footage_note is None
    assert set(sizes) == {c.id for c in CAMERAS}
    assert sizes[FOOTAGE_CAMERA_ID] == (768, 576)
    [cached] = (serving_node.settings.data_dir / "footage").iterdir()
    assert cached.name.startswith("vtest-") and cached.suffix == ".h264"


async def test_without_footage_the_demo_starts_and_says_so(
    serving_node: Vigil, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="vigil.demo")
    missing = tmp_path / "footage" / "vtest.avi"
    fleet = DemoFleet(serving_node, footage=missing)
    try:
        await fleet.start()
        sizes = await stream_sizes(serving_node)
    finally:
        await fleet.stop()
    assert fleet.footage_note is not None and str(missing) in fleet.footage_note
    [warning] = [r for r in caplog.records if r.name == "vigil.demo"]
    assert warning.levelno == logging.WARNING
    assert "footage" in warning.getMessage() and str(missing) in getattr(warning, "reason", "")
    # Every camera streams; the footage camera sends the synthetic D1 picture instead.
    assert set(sizes) == {c.id for c in CAMERAS}
    assert sizes[FOOTAGE_CAMERA_ID] == (D1_VIDEO.width, D1_VIDEO.height)
