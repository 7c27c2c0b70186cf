"""The report writer: positions and alarms queued on the answer path, written in batches, never
lost to a busy database; the status writer retries a busy database too."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select

from tests.conftest import ADMIN_PASSWORD
from tests.integration.gb28181.conftest import eventually
from vigil.app import Vigil
from vigil.bus import Event
from vigil.config import load_settings
from vigil.gb28181.devices.presence import Transition
from vigil.gb28181.devices.report_writer import ReportWriter
from vigil.gb28181.devices.reports import Reports
from vigil.gb28181.devices.status_writer import StatusWriter
from vigil.governance.permissions import SYSTEM
from vigil.protocols.manscdp import AlarmNotify, MobilePositionNotify
from vigil.store.models import Device, DeviceAlarm, DevicePosition

DEVICE = "34010400001380000001"
ZONE = load_settings(admin_password=ADMIN_PASSWORD).zone
#: The lock is held this long; the writer's connections wait only BUSY_MS before "locked".
HOLD_S = 1.5
BUSY_MS = 100


def fix(sn: int) -> MobilePositionNotify:
    return MobilePositionNotify(
        sn=sn, device_id=DEVICE, longitude=117.0 + sn / 1e4, latitude=31.8, speed=1.0
    )


async def count(node: Vigil, model: type[DevicePosition] | type[DeviceAlarm]) -> int:
    async with node.db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
async def node(settings: Any) -> AsyncIterator[Vigil]:
    vigil = Vigil(settings)
    await vigil.start()
    await vigil.devices.create(SYSTEM, DEVICE, {"name": "patrol car"})
    try:
        yield vigil
    finally:
        await vigil.stop()


@pytest.fixture
async def sqlite_node(tmp_path: Path) -> AsyncIterator[Vigil]:
    """A node on SQLite whose connections give up on a lock after BUSY_MS."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'vigil.db'}"
    settings = load_settings(
        data_dir=tmp_path / "data", database_url=url, admin_password=ADMIN_PASSWORD
    )
    vigil = Vigil(settings)

    def short_busy(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={BUSY_MS}")
        cursor.close()

    event.listen(vigil.db.engine.sync_engine, "connect", short_busy)
    await vigil.start()
    await vigil.devices.create(SYSTEM, DEVICE, {"name": "patrol car"})
    await vigil.db.engine.dispose()  # later connections get the short timeout
    try:
        yield vigil
    finally:
        await vigil.stop()


def hold_write_lock(node: Vigil) -> sqlite3.Connection:
    assert node.db.file is not None
    holder = sqlite3.connect(node.db.file, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    return holder


async def test_reports_are_written_in_batches_and_published_after(node: Vigil) -> None:
    published: list[Event] = []

    async def collect(event: Event) -> None:
        published.append(event)

    node.bus.subscribe("device.>", collect, queue_size=5000)
    writer = ReportWriter(node.db, node.bus, interval=0.05, batch=400)
    reports = Reports(writer, ZONE)
    assert all(reports.position(DEVICE, fix(n)) for n in range(1, 1001))
    alarm = AlarmNotify(sn=1, device_id=DEVICE, alarm_priority=1, alarm_method=5)
    assert reports.alarm(DEVICE, alarm)
    assert not reports.position(DEVICE, MobilePositionNotify(sn=2, device_id=DEVICE))
    # Queued, not written on the answer path. Checked before the writer starts: once it runs, a
    # full batch wakes it at once, and it may write while the count below waits for the database.
    assert len(writer) == 1001
    assert await count(node, DevicePosition) == 0
    writer.start()

    async def written() -> bool:
        return await count(node, DevicePosition) == 1000 and len(published) == 1001

    await eventually(written)
    await writer.stop()
    assert await count(node, DeviceAlarm) == 1
    assert writer.written == 1001 and writer.rejected == 0 and len(writer) == 0
    subjects = [e.subject for e in published]
    assert subjects.count("device.position") == 1000 and subjects.count("device.alarm") == 1


async def test_stop_writes_what_is_queued(node: Vigil) -> None:
    writer = ReportWriter(node.db, node.bus, interval=60.0, batch=10_000)
    writer.start()
    reports = Reports(writer, ZONE)
    for n in range(1, 51):
        reports.position(DEVICE, fix(n))
    await writer.stop()
    assert await count(node, DevicePosition) == 50


async def test_a_full_queue_refuses_with_a_log_line_and_a_count(
    node: Vigil, caplog: pytest.LogCaptureFixture
) -> None:
    writer = ReportWriter(node.db, node.bus, capacity=3)
    reports = Reports(writer, ZONE)
    assert [reports.position(DEVICE, fix(n)) for n in range(1, 6)] == [True] * 3 + [False] * 2
    assert writer.overflowed == 2
    full = [r for r in caplog.records if r.getMessage().startswith("report queue full")]
    assert len(full) == 1 and full[0].levelno == logging.ERROR
    writer.start()
    await writer.stop()
    assert await count(node, DevicePosition) == 3


async def test_a_row_the_database_refuses_does_not_hold_the_others(node: Vigil) -> None:
    writer = ReportWriter(node.db, node.bus)
    reports = Reports(writer, ZONE)
    reports.position(DEVICE, fix(1))
    reports.position("34010400001380009999", fix(2))  # no such device: the foreign key refuses
    reports.position(DEVICE, fix(3))
    writer.start()
    await writer.stop()
    assert await count(node, DevicePosition) == 2
    assert writer.written == 2 and writer.rejected == 1


async def test_no_report_is_lost_to_a_lock_held_past_the_busy_timeout(
    sqlite_node: Vigil, caplog: pytest.LogCaptureFixture
) -> None:
    node = sqlite_node
    writer = ReportWriter(node.db, node.bus, interval=0.05)
    reports = Reports(writer, ZONE)
    writer.start()
    holder = hold_write_lock(node)
    try:
        for n in range(1, 301):
            assert reports.position(DEVICE, fix(n))
            if n % 100 == 0:
                await asyncio.sleep(HOLD_S / 3)
    finally:
        holder.execute("COMMIT")
        holder.close()

    async def all_written() -> bool:
        return await count(node, DevicePosition) == 300

    await eventually(all_written)
    await writer.stop()
    assert writer.written == 300
    assert any("database busy" in r.getMessage() for r in caplog.records)


async def test_status_writer_retries_a_locked_database(sqlite_node: Vigil) -> None:
    node = sqlite_node
    writer = StatusWriter(node.db, node.bus, interval=0.05)
    writer.start()
    holder = hold_write_lock(node)
    at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    try:
        writer.heard(DEVICE, at)
        writer.transition(Transition(DEVICE, True, "register", "udp:127.0.0.1:5060"), at)
        await asyncio.sleep(HOLD_S)
    finally:
        holder.execute("COMMIT")
        holder.close()

    async def written() -> bool:
        async with node.db.session() as session:
            device = await session.get(Device, DEVICE)
        return device is not None and device.last_keepalive == at and device.online

    await eventually(written)
    await writer.stop()
