"""Signed packages of finished exports: the MP4, its manifest, the signature, the public key.

The packager finds the export's audit record and proves that it is in the audit log (the
manifest carries the record, its inclusion proof and the signed tree head:
:mod:`vigil.governance.export_evidence`), and writes the ``.zip`` beside the MP4 with the node's
signing key (:mod:`vigil.governance.signing`, loaded from its file on first use, created there
when absent). The format and its
offline check are :mod:`vigil.governance.export_package`'s.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from vigil.governance.export_evidence import evidence
from vigil.governance.export_package import write_package
from vigil.governance.permissions import SYSTEM
from vigil.governance.signing import SigningKey
from vigil.governance.tree_heads import TreeHeads
from vigil.store.database import Database
from vigil.store.queries.export_audit import export_audit_seq

__all__ = ["ExportPackager"]


class ExportPackager:
    """Writes signed packages with the key in ``key_file``."""

    def __init__(self, db: Database, key_file: Path, tree_heads: TreeHeads) -> None:
        self._db = db
        self._tree_heads = tree_heads
        self._key_file = key_file
        self._key: SigningKey | None = None
        self._loading = asyncio.Lock()

    async def key(self) -> SigningKey:
        """The signing key (read, or created, once)."""
        async with self._loading:
            if self._key is None:
                self._key = await asyncio.to_thread(SigningKey.load_or_create, self._key_file)
            return self._key

    async def audit_evidence(self, channel_id: str, job_id: str) -> dict[str, Any] | None:
        """The job's ``video.export`` audit record with its inclusion proof in the audit log's
        tree and the signed head of that tree (:mod:`vigil.governance.export_evidence`)."""
        seq = await export_audit_seq(self._db, channel_id, job_id)
        if seq is None:
            return None
        head = await self._tree_heads.publish()
        if head is None or head.size < seq:
            return {"seq": seq}
        proof = await self._tree_heads.inclusion(SYSTEM, seq, head.size)
        return evidence(seq, proof.leaf, proof.proof, head)

    async def write(self, out: Path, video: Path, manifest: dict[str, Any]) -> None:
        """Write the package of ``video`` and ``manifest`` to ``out``."""
        key = await self.key()
        await asyncio.to_thread(write_package, out, video, manifest, key)
