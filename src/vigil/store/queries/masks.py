"""Privacy mask statements: a channel's masks, and replacing them all at once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select

from vigil.store.database import Database
from vigil.store.models import PrivacyMask

__all__ = ["channel_masks", "replace_masks"]


async def channel_masks(db: Database, channel_id: str) -> list[PrivacyMask]:
    """The channel's masks in the order they were drawn."""
    async with db.session() as session:
        rows = await session.scalars(
            select(PrivacyMask).where(PrivacyMask.channel_id == channel_id).order_by(PrivacyMask.id)
        )
        return list(rows)


async def replace_masks(
    db: Database, channel_id: str, masks: Sequence[dict[str, Any]]
) -> list[PrivacyMask]:
    """Put ``masks`` (column values, less the channel) in place of the channel's masks, in one
    transaction; the rows as stored."""
    async with db.write() as session:
        await session.execute(delete(PrivacyMask).where(PrivacyMask.channel_id == channel_id))
        rows = [PrivacyMask(channel_id=channel_id, **values) for values in masks]
        session.add_all(rows)
        await session.flush()
        for row in rows:
            await session.refresh(row)
        return rows
