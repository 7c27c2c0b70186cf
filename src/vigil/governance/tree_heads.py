"""Signed tree heads of the audit log: published every interval when the log grew and on
request, stored so old heads can be served, and the proofs that tie them together.

A head signs the Merkle root of the first ``size`` records (:mod:`vigil.governance.tree_head`)
with the node's Ed25519 key, which lives outside the database. An auditor who kept an old head
asks for a consistency proof from its size to a new head's, and for inclusion proofs of records:
a log rewritten under the old head cannot produce either (RFC 9162 §2.1.3–2.1.4).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path

from vigil.errors import Invalid, NotFound, Unavailable
from vigil.governance.audit import AuditLog, entry_of
from vigil.governance.audit_chain import canonical
from vigil.governance.permissions import Permission, Principal
from vigil.governance.signing import SigningKey
from vigil.governance.tree_head import SignedTreeHead, sign_head
from vigil.store.database import Database
from vigil.store.models import AuditTreeHead
from vigil.store.queries.audit import get_record, insert_tree_head, latest_tree_head
from vigil.store.types import utcnow
from vigil.tasks import cancel_and_wait

__all__ = ["InclusionProof", "TreeHeads", "signed_head_of"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class InclusionProof:
    """Record ``index + 1``'s canonical bytes and its audit path in the tree of ``size``."""

    index: int
    size: int
    leaf: bytes
    proof: list[bytes]


def signed_head_of(row: AuditTreeHead) -> SignedTreeHead:
    return SignedTreeHead(
        row.size,
        bytes.fromhex(row.root),
        row.at,
        bytes.fromhex(row.signature),
        bytes.fromhex(row.public_key),
    )


class TreeHeads:
    """The publisher of signed tree heads and the answerer of proofs (a lifecycle service)."""

    def __init__(self, db: Database, audit: AuditLog, key_file: Path, interval: float) -> None:
        self._db = db
        self._audit = audit
        self._key_file = key_file
        self._interval = interval
        self._key: SigningKey | None = None
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None

    @property
    def audit(self) -> AuditLog:
        return self._audit

    @property
    def db(self) -> Database:
        return self._db

    @property
    def key(self) -> SigningKey:
        """The node's signing key, created on first use."""
        if self._key is None:
            self._key = SigningKey.load_or_create(self._key_file)
        return self._key

    def public_key(self) -> bytes:
        """The node's public key, for checking heads; never creates the key."""
        if self._key is None and not self._key_file.exists():
            raise Unavailable(f"no signing key at {self._key_file}: give the public key")
        return self._key.public_raw if self._key else SigningKey.load(self._key_file).public_raw

    async def start(self) -> None:
        _ = self.key  # a key others can read stops the start, naming the file
        self._task = asyncio.create_task(self._publish_every_interval(), name="audit-tree-heads")

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None

    async def _publish_every_interval(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            try:
                await self.publish(only_grown=True)
            except Exception:  # the next interval tries again; the log says why
                log.exception("publishing the audit tree head failed")

    async def publish(self, *, only_grown: bool = False) -> SignedTreeHead | None:
        """The head of the whole log: the last one stored when the log has not grown since,
        else a new one signed and stored. ``only_grown``: None rather than the last one."""
        async with self._lock:
            tree = await self._audit.tree.current()
            last = await latest_tree_head(self._db)
            if last is not None and last.size == tree.size:
                return None if only_grown else signed_head_of(last)
            if only_grown and last is None and tree.size == 0:
                return None
            head = sign_head(self.key, tree.size, tree.root(tree.size), utcnow())
            await insert_tree_head(
                self._db,
                {
                    "size": head.size,
                    "root": head.root.hex(),
                    "at": head.timestamp,
                    "signature": head.signature.hex(),
                    "public_key": head.public_key.hex(),
                },
            )
            log.info("audit tree head published", extra={"size": head.size})
            return head

    async def tree_head(self, principal: Principal) -> SignedTreeHead:
        """The current head (a fresh one when the log grew since the last)."""
        principal.require(Permission.audit_read)
        head = await self.publish()
        assert head is not None
        return head

    async def inclusion(self, principal: Principal, seq: int, size: int | None) -> InclusionProof:
        """Record ``seq``'s canonical bytes and its audit path in the tree of ``size`` records
        (the whole log by default)."""
        principal.require(Permission.audit_read)
        tree = await self._audit.tree.current()
        size = tree.size if size is None else size
        self._within(size, tree.size)
        if not 1 <= seq <= tree.size:
            raise NotFound(f"no audit record {seq}: the log holds records 1 to {tree.size}")
        if seq > size:
            raise Invalid(f"record {seq} is not in the tree of size {size}: ask for size {seq}+")
        record = await get_record(self._db, seq)
        if record is None:
            raise NotFound(f"audit record {seq} is missing from the database")
        proof = tree.inclusion_proof(seq - 1, size)
        return InclusionProof(seq - 1, size, canonical(entry_of(record)), proof)

    async def consistency(self, principal: Principal, old: int, new: int) -> list[bytes]:
        """The proof that the tree of ``old`` records is a prefix of the tree of ``new``."""
        principal.require(Permission.audit_read)
        if old > new:
            raise Invalid(f"from ({old}) is larger than to ({new})")
        tree = await self._audit.tree.current()
        self._within(new, tree.size)
        return tree.consistency_proof(old, new)

    @staticmethod
    def _within(size: int, held: int) -> None:
        if size > held:
            raise NotFound(f"no tree of size {size}: the audit log holds {held} records")
