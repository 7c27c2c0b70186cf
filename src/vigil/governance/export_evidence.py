"""The export's place in the audit log, carried in its manifest and checked offline.

A package's manifest names the audit record of its export (``audit.seq``) and proves that the
record is in the node's Merkle log (:mod:`vigil.governance.merkle`): the record's canonical bytes
(``leaf``, base64), its inclusion proof (``proof``, hex) in the tree of ``size`` records, and the
node's signed tree head of that size (``tree_head``: the exact signed bytes and the Ed25519
signature, base64). :func:`check_evidence` needs nothing but the package: the leaf must be the
record ``seq`` of a ``video.export``, the proof must lead from its hash to the head's root, and the
head must be signed by the key the manifest is checked with. A recipient who also holds a head
published by the node (``GET /api/v1/audit/tree-head``) can ask the node for a consistency proof
between the two: the export's record is then pinned in the log everyone else sees.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from vigil.governance.merkle import leaf_hash, root_from_inclusion
from vigil.governance.signing import verify_signature
from vigil.governance.tree_head import SignedTreeHead, parse_head

__all__ = ["check_evidence", "evidence"]


def evidence(seq: int, leaf: bytes, proof: list[bytes], head: SignedTreeHead) -> dict[str, Any]:
    """The manifest's ``audit`` entry for record ``seq`` (its canonical bytes ``leaf``) with its
    inclusion ``proof`` in the tree that ``head`` signs."""
    return {
        "seq": seq,
        "size": head.size,
        "leaf": base64.b64encode(leaf).decode(),
        "proof": [step.hex() for step in proof],
        "tree_head": {
            "head": base64.b64encode(head.head).decode(),
            "signature": base64.b64encode(head.signature).decode(),
        },
    }


def check_evidence(audit: Any, key: bytes) -> list[str]:
    """What is wrong with a manifest's ``audit`` entry, checked with ``key`` (empty: it holds)."""
    where = "manifest.json: audit"
    if not isinstance(audit, dict) or "proof" not in audit:
        return [f"{where}: no inclusion proof of the export's audit record"]
    try:
        seq, size = int(audit["seq"]), int(audit["size"])
        leaf = base64.b64decode(audit["leaf"], validate=True)
        proof = [bytes.fromhex(step) for step in audit["proof"]]
        head = base64.b64decode(audit["tree_head"]["head"], validate=True)
        signature = base64.b64decode(audit["tree_head"]["signature"], validate=True)
        signed_size, root, _ = parse_head(head)
        record = json.loads(leaf)
    except (KeyError, TypeError, ValueError, binascii.Error) as exc:
        return [f"{where}: malformed ({exc})"]
    problems = []
    if not isinstance(record, dict) or (record.get("seq"), record.get("action")) != (
        seq,
        "video.export",
    ):
        problems.append(f"{where}: the record is not export record {seq}")
    if signed_size != size:
        problems.append(f"{where}: the tree head is of {signed_size} records, not {size}")
    if root_from_inclusion(seq - 1, size, leaf_hash(leaf), proof) != root:
        problems.append(f"{where}: the inclusion proof does not lead to the tree head's root")
    if not verify_signature(key, signature, head):
        problems.append(f"{where}: the tree head's signature does not match")
    return problems
