"""The console's Merkle and tree-head test vectors are the ones the server's code makes today.

``web/tests/audit-proof.test.ts`` checks the console's in-browser proof verifier against
``web/tests/fixtures/audit-vectors.json``; a change to the leaf or node hashing, the proof's
order or the signed head's text that is not carried into that copy would leave the console
verifying against an old format.
"""

from __future__ import annotations

import base64
from pathlib import Path

from tools.audit_vectors import render, vectors

from vigil.governance.merkle import verify_inclusion
from vigil.governance.tree_head import parse_head

COMMITTED = (
    Path(__file__).resolve().parents[2] / "web" / "tests" / "fixtures" / "audit-vectors.json"
)


def test_committed_vectors_match_the_servers_code() -> None:
    text = COMMITTED.read_text(encoding="utf-8")
    assert text == render(vectors()), (
        "web/tests/fixtures/audit-vectors.json is stale: regenerate it with "
        "`python tools/audit_vectors.py > web/tests/fixtures/audit-vectors.json`"
    )


def test_vectors_hold_under_the_servers_verifier() -> None:
    """Every proof leads to its size's root, and the head signs the size-7 root."""
    found = vectors()
    roots = [bytes.fromhex(root) for root in found["roots"]]
    for proof in found["proofs"]:
        leaf = bytes.fromhex(found["leaf_hashes"][proof["index"]])
        path = [bytes.fromhex(node) for node in proof["proof"]]
        assert verify_inclusion(proof["index"], proof["size"], leaf, path, roots[proof["size"]])
    size, root, _ = parse_head(base64.b64decode(found["head"]["head"]))
    assert (size, root) == (7, roots[7])
    assert len(found["proofs"]) == sum(range(1, 8))
