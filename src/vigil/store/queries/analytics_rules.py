"""Analytics rules' statements: read a channel's rule set, save it against a version, list all.

A save compares the version the editor started from with the stored one in the same transaction
as the write (the row is locked on PostgreSQL; SQLite's writers take turns), so two operators
saving over the same version cannot both win.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from vigil.store.database import Database
from vigil.store.models import AnalyticsRuleSet, Channel, Organisation

__all__ = ["all_rule_sets", "channel_path", "load_rule_set", "save_rule_set"]


async def channel_path(db: Database, channel_id: str) -> tuple[bool, str | None]:
    """Whether the channel is on file, and the path of the organisation it is filed under
    (None: none)."""
    query = (
        select(Channel.id, Organisation.path)
        .outerjoin(Organisation, Organisation.id == Channel.organisation_id)
        .where(Channel.id == channel_id)
    )
    async with db.session() as session:
        row = (await session.execute(query)).first()
    if row is None:
        return False, None
    return True, row[1]


async def load_rule_set(db: Database, channel_id: str) -> AnalyticsRuleSet | None:
    """The channel's saved rule set; None when none was ever saved."""
    async with db.session() as session:
        return await session.get(AnalyticsRuleSet, channel_id)


async def all_rule_sets(db: Database) -> list[AnalyticsRuleSet]:
    """Every saved rule set, by channel ID."""
    async with db.session() as session:
        query = select(AnalyticsRuleSet).order_by(AnalyticsRuleSet.channel_id)
        return list(await session.scalars(query))


async def save_rule_set(
    db: Database,
    channel_id: str,
    rules: Sequence[dict[str, Any]],
    expected_version: int | None,
    by: str,
    at: datetime,
) -> AnalyticsRuleSet | None:
    """Replace the channel's rules and count one more version; None, writing nothing, when
    ``expected_version`` is given and is not the stored version (0: none stored)."""
    try:
        async with db.write() as session:
            row = await session.get(AnalyticsRuleSet, channel_id, with_for_update=True)
            current = row.version if row is not None else 0
            if expected_version is not None and expected_version != current:
                return None
            if row is None:
                row = AnalyticsRuleSet(channel_id=channel_id)
                session.add(row)
            row.rules = list(rules)
            row.version = current + 1
            row.updated_at = at
            row.updated_by = by
            await session.flush()
            return row
    except IntegrityError:
        # Another save created the row between our read and our insert: that one won.
        return None
