"""The alarm centre's statements: store, find, count and move alarms; read and replace linkage.

Organisation scopes are applied here as SQL: an alarm belongs to its channel's organisation, or,
when it names no channel, to its device's. ``scope_paths`` has ``Principal.scope_paths``'s
meaning (None: every organisation; empty: none).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select

from vigil.store.database import Database
from vigil.store.models import Alarm, AlarmLinkage, Channel, Device
from vigil.store.queries.rows import (
    count_per,
    filed_under,
    get_within,
    insert_row,
    move_row,
    newest_page,
)

__all__ = [
    "AlarmFilter",
    "count_by_state",
    "get_alarm",
    "insert_alarm",
    "is_channel",
    "list_alarms",
    "load_linkages",
    "move_alarm",
    "replace_linkages",
]


@dataclass(frozen=True, slots=True)
class AlarmFilter:
    """What a list or a count keeps; None: any. ``org_paths`` keeps alarms filed under them;
    ``start``/``end`` bound the alarm's time, [start, end)."""

    state: str | None = None
    source: str | None = None
    kind: str | None = None
    channel_id: str | None = None
    org_paths: tuple[str, ...] | None = None
    start: datetime | None = None
    end: datetime | None = None


def _in(orgs: Select[str]) -> ColumnElement[bool]:
    channels = select(Channel.id).where(Channel.organisation_id.in_(orgs))
    devices = select(Device.id).where(Device.organisation_id.in_(orgs))
    return or_(
        Alarm.channel_id.in_(channels),
        and_(Alarm.channel_id.is_(None), Alarm.device_id.in_(devices)),
    )


def _under(paths: tuple[str, ...] | None) -> ColumnElement[bool]:
    """Alarms filed under one of ``paths`` (None: anywhere; empty: nowhere)."""
    return filed_under(paths, _in)


def _where(query: Any, kept: AlarmFilter, scope_paths: tuple[str, ...] | None) -> Any:
    conditions: list[ColumnElement[bool]] = [_under(scope_paths), _under(kept.org_paths)]
    for column, value in (
        (Alarm.state, kept.state),
        (Alarm.source, kept.source),
        (Alarm.kind, kept.kind),
        (Alarm.channel_id, kept.channel_id),
    ):
        if value is not None:
            conditions.append(column == value)
    if kept.start is not None:
        conditions.append(Alarm.at >= kept.start)
    if kept.end is not None:
        conditions.append(Alarm.at < kept.end)
    return query.where(*conditions)


async def insert_alarm(db: Database, values: dict[str, Any]) -> Alarm:
    """Store a new alarm; the row as committed."""
    return await insert_row(db, Alarm, values)


async def get_alarm(
    db: Database, alarm_id: int, scope_paths: tuple[str, ...] | None
) -> Alarm | None:
    """The alarm if it exists within the scope."""
    return await get_within(db, Alarm, alarm_id, _under(scope_paths))


async def list_alarms(
    db: Database,
    kept: AlarmFilter,
    scope_paths: tuple[str, ...] | None,
    after: int | None,
    limit: int,
) -> list[Alarm]:
    """Alarms newest first (by ID), below the cursor ``after``."""
    return await newest_page(db, Alarm, _where(select(Alarm), kept, scope_paths), after, limit)


async def count_by_state(
    db: Database, kept: AlarmFilter, scope_paths: tuple[str, ...] | None
) -> dict[str, int]:
    """How many alarms in each state (states without any are absent)."""
    query = _where(select(Alarm.state, func.count()), kept, scope_paths).group_by(Alarm.state)
    return await count_per(db, query)


async def move_alarm(
    db: Database, alarm_id: int, from_states: Sequence[str], values: dict[str, Any]
) -> Alarm | None:
    """Set ``values`` on the alarm if it is in one of ``from_states`` (checked in the same
    statement, so two operators cannot both move it); the row after, or None if not moved."""
    return await move_row(db, Alarm, alarm_id, Alarm.state, from_states, values)


async def is_channel(db: Database, channel_id: str) -> bool:
    """Whether a channel with this ID is on file."""
    async with db.session() as session:
        return await session.get(Channel, channel_id) is not None


async def load_linkages(db: Database) -> list[AlarmLinkage]:
    """Every linkage rule, in the order they were saved."""
    async with db.session() as session:
        return list(await session.scalars(select(AlarmLinkage).order_by(AlarmLinkage.id)))


async def replace_linkages(db: Database, rules: Sequence[dict[str, Any]]) -> list[AlarmLinkage]:
    """Replace every linkage rule with ``rules`` in one transaction; the rules as stored."""
    async with db.write() as session:
        for old in await session.scalars(select(AlarmLinkage)):
            await session.delete(old)
        stored = [AlarmLinkage(**rule) for rule in rules]
        session.add_all(stored)
        await session.flush()
        return stored
