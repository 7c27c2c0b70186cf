"""The audit log's statements: append a record at the end, list records, read leaf hashes and the
signed tree heads.

Appends are serialised: the caller holds the log's lock in this process, and on PostgreSQL a
transaction-scoped advisory lock orders appends from every node of a cluster, so ``seq`` has no
gaps and each record follows the one before it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text

from vigil.store.database import Database
from vigil.store.models import AuditRecord, AuditTreeHead

__all__ = [
    "AuditFilter",
    "append_record",
    "count_records",
    "get_record",
    "insert_tree_head",
    "latest_tree_head",
    "leaf_hashes_after",
    "page_records",
    "records_after",
    "tree_heads_after",
]

_PG_LOCK_KEY = 0x56494749  # "VIGI": serialises appends across cluster nodes on PostgreSQL


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which audit records to list: by actor, action, channel and period."""

    actor: str | None = None
    action: str | None = None
    channel_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


async def append_record(
    db: Database, values_for: Callable[[int, str | None], dict[str, Any]]
) -> AuditRecord:
    """Insert the record ``values_for(seq, previous hash)`` makes for the next ``seq`` (1 and
    None for the first record), in one transaction with the read of the last record."""
    async with db.session() as session, session.begin():
        if db.dialect == "postgresql":
            await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
        last = (
            await session.execute(
                select(AuditRecord.seq, AuditRecord.hash).order_by(AuditRecord.seq.desc()).limit(1)
            )
        ).first()
        seq, prev = (last[0] + 1, last[1]) if last else (1, None)
        record = AuditRecord(**values_for(seq, prev))
        session.add(record)
    return record


async def page_records(
    db: Database, flt: AuditFilter, after_seq: int | None, limit: int
) -> list[AuditRecord]:
    """Newest first; ``after_seq`` continues below a previous page's last record."""
    query = select(AuditRecord).order_by(AuditRecord.seq.desc()).limit(limit)
    conditions = {
        AuditRecord.actor: flt.actor,
        AuditRecord.action: flt.action,
        AuditRecord.channel_id: flt.channel_id,
    }
    for column, value in conditions.items():
        if value is not None:
            query = query.where(column == value)
    if flt.since is not None:
        query = query.where(AuditRecord.at >= flt.since)
    if flt.until is not None:
        query = query.where(AuditRecord.at < flt.until)
    if after_seq is not None:
        query = query.where(AuditRecord.seq < after_seq)
    async with db.session() as session:
        return list((await session.scalars(query)).all())


async def records_after(db: Database, after: int, limit: int) -> list[AuditRecord]:
    """Up to ``limit`` records with ``seq`` above ``after``, in ``seq`` order."""
    query = select(AuditRecord).where(AuditRecord.seq > after).order_by(AuditRecord.seq)
    async with db.session() as session:
        return list((await session.scalars(query.limit(limit))).all())


async def get_record(db: Database, seq: int) -> AuditRecord | None:
    async with db.session() as session:
        return await session.get(AuditRecord, seq)


async def leaf_hashes_after(db: Database, after: int) -> list[tuple[int, str]]:
    """``(seq, leaf hash)`` of every record above ``after``, in ``seq`` order."""
    query = (
        select(AuditRecord.seq, AuditRecord.leaf_hash)
        .where(AuditRecord.seq > after)
        .order_by(AuditRecord.seq)
    )
    async with db.session() as session:
        return [(seq, leaf) for seq, leaf in (await session.execute(query)).all()]


async def count_records(db: Database) -> int:
    async with db.session() as session:
        return int((await session.scalar(select(func.count()).select_from(AuditRecord))) or 0)


async def insert_tree_head(db: Database, values: dict[str, Any]) -> AuditTreeHead:
    async with db.session() as session, session.begin():
        head = AuditTreeHead(**values)
        session.add(head)
    return head


async def latest_tree_head(db: Database) -> AuditTreeHead | None:
    """The head published last (the largest, since the log only grows)."""
    query = select(AuditTreeHead).order_by(AuditTreeHead.id.desc()).limit(1)
    async with db.session() as session:
        return (await session.scalars(query)).first()


async def tree_heads_after(db: Database, after_id: int, limit: int) -> list[AuditTreeHead]:
    """Up to ``limit`` stored heads with ``id`` above ``after_id``, oldest first."""
    query = select(AuditTreeHead).where(AuditTreeHead.id > after_id).order_by(AuditTreeHead.id)
    async with db.session() as session:
        return list((await session.scalars(query.limit(limit))).all())
