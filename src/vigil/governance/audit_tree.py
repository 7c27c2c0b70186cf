"""The audit log's Merkle tree as this node holds it: loaded once from the records' stored leaf
hashes, then appended as records are written.

Every node of a cluster appends to the same log, so before answering, :meth:`AuditTree.current`
reads the leaf hashes of records written since (one indexed query, nothing when there are none).
The tree only grows: a size once held keeps its root, whatever is later written to the database
under it, so a record edited under a running node no longer matches the proofs it serves.
"""

from __future__ import annotations

import asyncio

from vigil.governance.merkle import MerkleTree
from vigil.store.database import Database
from vigil.store.queries.audit import leaf_hashes_after

__all__ = ["AuditTree"]


class AuditTree:
    """The records' leaf hashes in ``seq`` order (leaf index = seq − 1) and their tree."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._tree = MerkleTree()
        self._lock = asyncio.Lock()

    async def current(self) -> MerkleTree:
        """The tree of every record written so far (by any node)."""
        async with self._lock:
            for seq, leaf in await leaf_hashes_after(self._db, self._tree.size):
                self.appended(seq, leaf)
        return self._tree

    def appended(self, seq: int, leaf_hex: str) -> None:
        """Record ``seq`` was written with this leaf hash; one that does not follow the last
        leaf held (another node's, not read yet) waits for the next :meth:`current`."""
        if seq == self._tree.size + 1:
            self._tree.append(bytes.fromhex(leaf_hex))
