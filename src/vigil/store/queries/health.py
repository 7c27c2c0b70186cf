"""Queries about the database itself."""

from __future__ import annotations

from sqlalchemy import text

from vigil.store.database import Database

__all__ = ["ping"]


async def ping(db: Database) -> None:
    """Run the cheapest statement there is: raises when the database does not answer."""
    async with db.session() as session:
        await session.execute(text("SELECT 1"))
