"""The audit log service: append records to the chain and the Merkle tree, list them, verify.

Each record is a link of a hash chain (its hash covers the one before) and a leaf of an RFC 9162
Merkle tree over the same canonical bytes (:mod:`vigil.governance.merkle`): the chain names the
first edited record, the tree lets a third party holding an old signed tree head check that the
log still holds what it signed (:mod:`vigil.governance.tree_heads`).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from vigil.governance.audit_chain import (
    GENESIS,
    ChainBreak,
    ChainEntry,
    ChainWalker,
    canonical,
    chain_hash,
)
from vigil.governance.audit_tree import AuditTree
from vigil.governance.merkle import MerkleTree, leaf_hash
from vigil.governance.permissions import Permission, Principal
from vigil.store.database import Database
from vigil.store.models import AuditRecord
from vigil.store.queries import audit as queries
from vigil.store.queries.audit import AuditFilter
from vigil.store.types import utcnow

__all__ = ["AuditEvent", "AuditFilter", "AuditLog", "VerifyResult", "entry_of"]


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
class VerifyResult:
    """The outcome of checking the log: how many records, the chain's head, the first break,
    and the Merkle tree of the records' contents as read (leaf hashes recomputed)."""

    checked: int
    head: str
    broken: ChainBreak | None
    tree: MerkleTree = field(default_factory=MerkleTree)

    @property
    def ok(self) -> bool:
        return self.broken is None


def entry_of(record: AuditRecord) -> ChainEntry:
    """The stored record as the chain hashes it: its columns are the entry's fields."""
    return ChainEntry(**{f.name: getattr(record, f.name) for f in fields(ChainEntry)})


class AuditLog:
    """Append-only; nothing in Vigil updates or deletes an audit record."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._lock = asyncio.Lock()
        self.tree = AuditTree(db)

    async def append(self, event: AuditEvent) -> AuditRecord:
        def values_for(seq: int, prev: str | None) -> dict[str, Any]:
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
                prev_hash=prev or GENESIS,
            )
            hashed = asdict(replace(entry, hash=chain_hash(entry.prev_hash, entry)))
            return {**hashed, "leaf_hash": leaf_hash(canonical(entry)).hex()}

        async with self._lock:
            record = await queries.append_record(self._db, values_for)
            self.tree.appended(record.seq, record.leaf_hash)
        return record

    async def page(
        self, principal: Principal, flt: AuditFilter, after_seq: int | None, limit: int
    ) -> list[AuditRecord]:
        """Newest first; ``after_seq`` continues below a previous page's last record."""
        principal.require(Permission.audit_read)
        return await queries.page_records(self._db, flt, after_seq, limit)

    async def _records(self, batch: int = 2000) -> AsyncIterator[AuditRecord]:
        after = 0
        while rows := await queries.records_after(self._db, after, batch):
            for row in rows:
                yield row
            after = rows[-1].seq

    async def verify(self) -> VerifyResult:
        """Check the whole chain, streaming it in batches; stop at the first break. A record
        whose stored leaf hash is not that of its contents is a break too."""
        walker, tree = ChainWalker(), MerkleTree()
        async for record in self._records():
            entry = entry_of(record)
            broken = walker.check(entry)
            leaf = leaf_hash(canonical(entry))
            if broken is None and leaf.hex() != record.leaf_hash:
                broken = ChainBreak(
                    record.seq,
                    f"record {record.seq} was edited (its contents do not match its leaf hash)",
                )
            if broken is not None:
                return VerifyResult(walker.checked, walker.head, broken, tree)
            tree.append(leaf)
        return VerifyResult(walker.checked, walker.head, None, tree)

    async def count(self) -> int:
        return await queries.count_records(self._db)
