"""Print test vectors of the audit log's Merkle proofs and signed tree heads, made by the server's
own code, for the console's in-browser verifier (``web/tests/audit-proof.test.ts``).

Seven records' canonical bytes, the root of every tree size from 0 to 7, the inclusion proof of
every record in every tree that holds it, and a tree head of size 7 signed by a fixed test key,
all in the API's wire form (``TreeHeadPublic``, ``InclusionProofPublic``).
``tests/unit/test_audit_vectors.py`` fails when the committed copy
(``web/tests/fixtures/audit-vectors.json``) no longer matches what the server's code makes.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from vigil.api.schemas.audit import InclusionProofPublic, TreeHeadPublic
from vigil.governance.audit_chain import ChainEntry, canonical
from vigil.governance.merkle import MerkleTree, leaf_hash
from vigil.governance.signing import SigningKey
from vigil.governance.tree_head import sign_head
from vigil.governance.tree_heads import InclusionProof

SIZE = 7
#: A fixed private key, so the vectors do not change from run to run (a test key, signs nothing).
TEST_KEY = bytes(range(1, 33))
START = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


def records() -> list[ChainEntry]:
    """Seven records as the log keeps them, Chinese text and a null channel among them."""
    actions = ["auth.login", "video.live", "video.playback", "user.create", "approval.request"]
    return [
        ChainEntry(
            seq=seq,
            at=START + timedelta(seconds=seq, microseconds=seq * 1001),
            actor="admin" if seq % 2 else "审计员",
            action=actions[seq % len(actions)],
            resource=f"channel:3401040000131000000{seq}" if seq % 3 else "user:7",
            channel_id=f"3401040000131000000{seq}" if seq % 3 else None,
            source="10.0.0.8" if seq != 4 else None,
            outcome="ok" if seq != 5 else "denied",
            detail=json.dumps({"purpose": "巡查", "n": seq}, ensure_ascii=False),
            prev_hash="0" * 64,
        )
        for seq in range(1, SIZE + 1)
    ]


def vectors() -> dict[str, Any]:
    leaves = [canonical(entry) for entry in records()]
    tree = MerkleTree([leaf_hash(leaf) for leaf in leaves])
    key = SigningKey(Ed25519PrivateKey.from_private_bytes(TEST_KEY))
    head = sign_head(key, SIZE, tree.root(SIZE), START + timedelta(minutes=5, microseconds=42))
    proofs = [
        InclusionProofPublic.of(
            InclusionProof(index, size, leaves[index], tree.inclusion_proof(index, size))
        ).model_dump(mode="json")
        for size in range(1, SIZE + 1)
        for index in range(size)
    ]
    return {
        "leaf_hashes": [leaf_hash(leaf).hex() for leaf in leaves],
        "roots": [tree.root(size).hex() for size in range(SIZE + 1)],
        "proofs": proofs,
        "head": TreeHeadPublic.of(head).model_dump(mode="json"),
    }


def render(found: dict[str, Any]) -> str:
    return json.dumps(found, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> None:
    sys.stdout.write(render(vectors()))


if __name__ == "__main__":
    main()
