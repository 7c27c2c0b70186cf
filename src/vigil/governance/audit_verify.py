"""Checking signed tree heads against the audit records: ``vigil audit verify``'s Merkle half.

The records' tree is rebuilt from their canonical bytes (:meth:`AuditLog.verify`), not from the
stored leaf hashes, and each head is checked against it: the signature under the trusted public
key, and the root of the tree of the head's size. A head an auditor kept (``--head``, the JSON
``GET /api/v1/audit/tree-head`` returned) is the real test: the database cannot forge the
signature, and no rewrite of the first ``size`` records keeps their root. The heads stored in the
database are checked too, under the key each names (a copy of the database may have lost some).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from vigil.governance.audit import VerifyResult
from vigil.governance.merkle import MerkleTree
from vigil.governance.tree_head import SignedTreeHead, parse_head
from vigil.governance.tree_heads import TreeHeads, signed_head_of
from vigil.store.database import Database
from vigil.store.queries.audit import tree_heads_after

__all__ = ["LogCheck", "check_log", "head_from_json", "head_problem", "stored_head_problems"]


@dataclass(frozen=True, slots=True)
class LogCheck:
    """The chain's verdict, and what is wrong with the signed heads (stored and given)."""

    chain: VerifyResult
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.problems


def _b64(document: Mapping[str, Any], name: str) -> bytes:
    value = document.get(name)
    if not isinstance(value, str):
        raise ValueError(f"tree head JSON has no {name!r} string")
    try:
        return base64.b64decode(value, validate=True)
    except binascii.Error:
        raise ValueError(f"tree head JSON's {name!r} is not base64") from None


def head_from_json(document: Mapping[str, Any]) -> SignedTreeHead:
    """The head in the JSON ``GET /api/v1/audit/tree-head`` answers; ValueError naming what is
    wrong when it is not one, or when its fields differ from the bytes that were signed."""
    if not isinstance(document, Mapping):
        raise ValueError("a tree head is a JSON object")
    size, root, timestamp = parse_head(_b64(document, "head"))
    shown = (document.get("size"), document.get("root"), document.get("timestamp"))
    if shown[0] != size or shown[1] != root.hex():
        raise ValueError("tree head JSON's size or root differ from its signed head")
    if not isinstance(shown[2], str) or datetime.fromisoformat(shown[2]) != timestamp:
        raise ValueError("tree head JSON's timestamp differs from its signed head")
    return SignedTreeHead(
        size, root, timestamp, _b64(document, "signature"), _b64(document, "public_key")
    )


def head_problem(tree: MerkleTree, head: SignedTreeHead, trusted_key: bytes | None) -> str | None:
    """What is wrong with ``head`` for the records' ``tree``, or None when it holds: signed by
    ``trusted_key`` (the head's own key when None), and the records' root at its size."""
    key = head.public_key if trusted_key is None else trusted_key
    if not head.verify(key):
        return f"the tree head of size {head.size} is not signed by key {key.hex()}"
    if head.size > tree.size:
        return (
            f"the tree head covers {head.size} records but the log holds {tree.size} "
            "(records were deleted)"
        )
    root = tree.root(head.size)
    if root != head.root:
        return (
            f"the records' tree of size {head.size} has root {root.hex()}, the signed head "
            f"says {head.root.hex()} (records among the first {head.size} were changed)"
        )
    return None


async def stored_head_problems(db: Database, tree: MerkleTree, batch: int = 1000) -> list[str]:
    """The problems of every head stored in the database (oldest first), each under its key."""
    problems: list[str] = []
    after = 0
    while rows := await tree_heads_after(db, after, batch):
        for row in rows:
            problem = head_problem(tree, signed_head_of(row), None)
            if problem is not None:
                problems.append(f"stored head {row.id} ({row.at.isoformat()}): {problem}")
        after = rows[-1].id
    return problems


async def check_log(
    heads: TreeHeads, given: SignedTreeHead | None, public_key: bytes | None
) -> LogCheck:
    """The chain walked and the tree rebuilt from the records' contents; then every stored
    head, and ``given`` under ``public_key`` (this node's key when None)."""
    chain = await heads.audit.verify()
    if not chain.ok:
        return LogCheck(chain)
    problems = await stored_head_problems(heads.db, chain.tree)
    if given is not None:
        key = heads.public_key() if public_key is None else public_key
        problem = head_problem(chain.tree, given, key)
        if problem is not None:
            problems.append(f"given head: {problem}")
    return LogCheck(chain, problems)
