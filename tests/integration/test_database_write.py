"""The node's busy writers take turns on SQLite (``Database.write``): a writer holding the write
lock across an await does not send the others into SQLite's busy handler, which gives up."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from sqlalchemy import event, insert, select, update

from vigil.store.database import Database
from vigil.store.migrate import upgrade
from vigil.store.models import Device

DEVICES = [f"3401040000132{n:07d}" for n in range(10)]


async def test_concurrent_writers_take_turns(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'vigil.db'}")

    def impatient(connection: Any, _record: Any) -> None:
        connection.execute("PRAGMA busy_timeout=1")  # the busy handler gives up at once

    event.listen(db.engine.sync_engine, "connect", impatient)
    db.create_file()
    await upgrade(db.engine)
    async with db.write() as session:
        await session.execute(insert(Device), [{"id": i, "name": i} for i in DEVICES])

    async def rename(device_id: str) -> None:
        async with db.write() as session:
            values = {"name": f"renamed {device_id[-2:]}"}
            await session.execute(update(Device).where(Device.id == device_id).values(values))
            await asyncio.sleep(0.02)  # holding SQLite's write lock, as a batch being built does

    await asyncio.gather(*(rename(i) for i in DEVICES))
    async with db.session() as session:
        names = set((await session.scalars(select(Device.name))).all())
    await db.dispose()
    assert names == {f"renamed {i[-2:]}" for i in DEVICES}
