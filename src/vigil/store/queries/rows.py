"""Statements every family of workflow rows shares: store a new row, find one within a scope, and
move a row from one state to another only if it is still in a state the move starts from (checked
in the same statement, so two people cannot both move it), page numbered rows newest first, count
rows per state, and channel rows kept to organisation scopes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, false, or_, select, true, update
from sqlalchemy.orm import InstrumentedAttribute

from vigil.store.base import Base, Numbered
from vigil.store.database import Database
from vigil.store.models import Channel, Organisation

__all__ = [
    "count_per",
    "filed_under",
    "get_within",
    "insert_id",
    "insert_row",
    "move_row",
    "newest_page",
    "on_channels_under",
]

M = TypeVar("M", bound=Base)
N = TypeVar("N", bound=Numbered)


async def insert_row(db: Database, model: type[M], values: dict[str, Any]) -> M:
    """Store a new ``model`` row; the row as committed."""
    async with db.write() as session:
        row = model(**values)
        session.add(row)
        await session.flush()
        await session.refresh(row)
        return row


async def insert_id(db: Database, model: type[N], values: dict[str, Any]) -> int:
    """Store a new ``model`` row; its ID."""
    async with db.write() as session:
        row = model(**values)
        session.add(row)
        await session.flush()
        return row.id


async def get_within(
    db: Database, model: type[N], row_id: int, within: ColumnElement[bool]
) -> N | None:
    """Row ``row_id`` of ``model`` if ``within`` (a scope condition) holds for it, else None."""
    async with db.session() as session:
        return await session.scalar(select(model).where(model.id == row_id, within))


async def newest_page(
    db: Database, model: type[N], query: Select[N], after: int | None, limit: int
) -> list[N]:
    """The ``model`` rows ``query`` selects, newest first (by ID), at most ``limit`` of them,
    below the cursor ``after`` (an ID; None: from the newest)."""
    if after is not None:
        query = query.where(model.id < after)
    async with db.session() as session:
        return list(await session.scalars(query.order_by(model.id.desc()).limit(limit)))


async def count_per(db: Database, query: Select[str, int]) -> dict[str, int]:
    """``query``'s rows of (key, count) as a dict: keys without rows are absent."""
    async with db.session() as session:
        rows = (await session.execute(query)).all()
    return {row[0]: row[1] for row in rows}


async def move_row(
    db: Database,
    model: type[M],
    row_id: int,
    state: InstrumentedAttribute[str],
    from_states: Sequence[str],
    values: dict[str, Any],
) -> M | None:
    """Set ``values`` on row ``row_id`` if its ``state`` is one of ``from_states``; the row
    after, or None if it was not moved."""
    key = model.__mapper__.primary_key[0]
    statement = update(model).where(key == row_id, state.in_(list(from_states))).values(**values)
    async with db.write() as session:
        moved = (await session.execute(statement)).rowcount  # type: ignore[attr-defined]
        if not moved:
            return None
        return await session.get(model, row_id, populate_existing=True)


def filed_under(
    paths: tuple[str, ...] | None, rows_in: Callable[[Select[str]], ColumnElement[bool]]
) -> ColumnElement[bool]:
    """Rows filed under one of ``paths`` (None: anywhere; empty: nowhere): ``rows_in(orgs)`` is
    the condition for rows filed in the organisations whose ids ``orgs`` selects."""
    if paths is None:
        return true()
    if not paths:
        return false()
    orgs = select(Organisation.id).where(
        or_(*(Organisation.path.startswith(path, autoescape=True) for path in paths))
    )
    return rows_in(orgs)


def on_channels_under(
    channel: InstrumentedAttribute[str], paths: tuple[str, ...] | None
) -> ColumnElement[bool]:
    """Rows whose ``channel`` is filed under one of ``paths`` (None: anywhere; empty:
    nowhere)."""
    return filed_under(
        paths, lambda orgs: channel.in_(select(Channel.id).where(Channel.organisation_id.in_(orgs)))
    )
