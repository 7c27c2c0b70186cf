"""Migrations build exactly the schema the models describe, on both engines, and re-run cleanly."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from vigil.app import Vigil
from vigil.store.base import Base
from vigil.store.migrate import upgrade


async def test_head_matches_models(node: Vigil) -> None:
    def diff(connection: Any) -> list[Any]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    async with node.db.engine.connect() as connection:
        assert await connection.run_sync(diff) == []


async def test_upgrade_is_idempotent(node: Vigil) -> None:
    await upgrade(node.db.engine)
    await upgrade(node.db.engine)
