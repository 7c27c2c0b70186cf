"""The audit log service: append records to the chain, list them, verify the chain."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text

from vigil.governance.audit_chain import GENESIS, ChainBreak, ChainEntry, ChainWalker, chain_hash
from vigil.governance.permissions import Permission, Principal
from vigil.store.database import Database
from vigil.store.models import AuditRecord
from vigil.store.types import utcnow

__all__ = ["AuditEvent", "AuditFilter", "AuditLog", "VerifyResult"]

_PG_LOCK_KEY = 0x56494749  # "VIGI": serialises appends across cluster nodes on PostgreSQL


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """What happened; the log adds when, the sequence number and the hashes."""

    actor: str
    action: str
    resource: str
    outcome: str = "ok"
    channel_id: str | None = None
    source: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which audit records to list: by actor, action, channel and period."""

    actor: str | None = None
    action: str | None = None
    channel_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """The outcome of checking the chain: how many records, the head, the first break."""

    checked: int
    head: str
    broken: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _entry(record: AuditRecord) -> ChainEntry:
    """The stored record as the chain hashes it: its columns are the entry's fields."""
    return ChainEntry(**{f.name: getattr(record, f.name) for f in fields(ChainEntry)})


class AuditLog:
    """Append-only; nothing in Vigil updates or deletes an audit record."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._lock = asyncio.Lock()

    async def append(self, event: AuditEvent) -> AuditRecord:
        async with self._lock, self._db.session() as session, session.begin():
            if self._db.dialect == "postgresql":
                await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
            last = (
                await session.execute(
                    select(AuditRecord.seq, AuditRecord.hash)
                    .order_by(AuditRecord.seq.desc())
                    .limit(1)
                )
            ).first()
            seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
            entry = ChainEntry(
                seq=seq,
                at=utcnow(),
                actor=event.actor,
                action=event.action,
                resource=event.resource[:255],
                channel_id=event.channel_id,
                source=event.source,
                outcome=event.outcome,
                detail=json.dumps(event.detail, sort_keys=True, ensure_ascii=False, default=str),
                prev_hash=prev,
            )
            record = AuditRecord(**asdict(replace(entry, hash=chain_hash(prev, entry))))
            session.add(record)
        return record

    async def page(
        self, principal: Principal, flt: AuditFilter, after_seq: int | None, limit: int
    ) -> list[AuditRecord]:
        """Newest first; ``after_seq`` continues below a previous page's last record."""
        principal.require(Permission.audit_read)
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
        async with self._db.session() as session:
            return list((await session.scalars(query)).all())

    async def _entries(self, batch: int = 2000) -> AsyncIterator[ChainEntry]:
        after = 0
        async with self._db.session() as session:
            while True:
                rows = (
                    await session.scalars(
                        select(AuditRecord)
                        .where(AuditRecord.seq > after)
                        .order_by(AuditRecord.seq)
                        .limit(batch)
                    )
                ).all()
                if not rows:
                    return
                for row in rows:
                    yield _entry(row)
                after = rows[-1].seq

    async def verify(self) -> VerifyResult:
        """Check the whole chain, streaming it in batches; stop at the first break."""
        walker = ChainWalker()
        async for entry in self._entries():
            broken = walker.check(entry)
            if broken is not None:
                return VerifyResult(checked=walker.checked, head=walker.head, broken=broken)
        return VerifyResult(checked=walker.checked, head=walker.head, broken=None)

    async def count(self) -> int:
        async with self._db.session() as session:
            return int((await session.scalar(select(func.count()).select_from(AuditRecord))) or 0)
