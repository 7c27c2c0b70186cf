"""The hash chain itself: canonical form of a record, and the check of a whole sequence.

Pure functions over plain values, so ``vigil audit verify`` and the tests can run them over
whatever the database returns. Each record's hash is SHA-256(previous hash ‖ canonical record),
with a genesis of 64 zeros; editing, deleting or reordering any record breaks the chain at that
record.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

__all__ = [
    "GENESIS",
    "ChainBreak",
    "ChainEntry",
    "ChainWalker",
    "canonical",
    "chain_hash",
    "find_break",
]

GENESIS = "0" * 64


@dataclass(frozen=True, slots=True)
class ChainEntry:
    """The hashed fields of one audit record, as stored."""

    seq: int
    at: datetime
    actor: str
    action: str
    resource: str
    channel_id: str | None
    source: str | None
    outcome: str
    detail: str
    prev_hash: str
    hash: str = ""


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """Where the chain first fails, and the most likely cause."""

    seq: int
    reason: str


def canonical(entry: ChainEntry) -> bytes:
    """A byte form independent of the database engine: sorted-key compact JSON, UTC ISO time."""
    fields = {
        "seq": entry.seq,
        "at": entry.at.isoformat(timespec="microseconds"),
        "actor": entry.actor,
        "action": entry.action,
        "resource": entry.resource,
        "channel_id": entry.channel_id,
        "source": entry.source,
        "outcome": entry.outcome,
        "detail": entry.detail,
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def chain_hash(prev_hash: str, entry: ChainEntry) -> str:
    return hashlib.sha256(bytes.fromhex(prev_hash) + canonical(entry)).hexdigest()


class ChainWalker:
    """Checks records one at a time in ``seq`` order, so a chain of any length streams through."""

    def __init__(self) -> None:
        self.expected_seq = 1
        self.head = GENESIS
        self.checked = 0

    def check(self, entry: ChainEntry) -> ChainBreak | None:
        """The break this record shows, or None after advancing past it."""
        if entry.seq != self.expected_seq:
            cause = "deleted" if entry.seq > self.expected_seq else "reordered or duplicated"
            return ChainBreak(
                entry.seq, f"record {self.expected_seq} expected but {entry.seq} found ({cause})"
            )
        if entry.prev_hash != self.head:
            return ChainBreak(
                entry.seq,
                f"record {entry.seq} does not follow record {entry.seq - 1} "
                "(a record was deleted, inserted or reordered)",
            )
        if chain_hash(entry.prev_hash, entry) != entry.hash:
            return ChainBreak(entry.seq, f"record {entry.seq} was edited")
        self.expected_seq, self.head, self.checked = entry.seq + 1, entry.hash, self.checked + 1
        return None


def find_break(entries: Iterable[ChainEntry]) -> tuple[int, ChainBreak | None]:
    """Walk records in ``seq`` order; return how many were checked and the first break, if any."""
    walker = ChainWalker()
    for entry in entries:
        broken = walker.check(entry)
        if broken is not None:
            return walker.checked, broken
    return walker.checked, None
