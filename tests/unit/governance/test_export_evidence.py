"""An export's audit evidence: the record, its inclusion proof and a signed tree head hold
together when untouched, and each kind of damage is named."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from vigil.governance.export_evidence import check_evidence, evidence
from vigil.governance.merkle import MerkleTree, leaf_hash
from vigil.governance.signing import SigningKey
from vigil.governance.tree_head import sign_head

WHEN = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)


def records(count: int) -> list[bytes]:
    actions = ["auth.login", "video.export", "video.playback"]
    return [
        json.dumps({"seq": k, "action": actions[k % 3]}, sort_keys=True).encode()
        for k in range(1, count + 1)
    ]


def made(tmp_path: Path, seq: int = 4, count: int = 11) -> tuple[dict[str, Any], SigningKey]:
    key = SigningKey.load_or_create(tmp_path / "key")
    leaves = records(count)
    tree = MerkleTree([leaf_hash(leaf) for leaf in leaves])
    head = sign_head(key, count, tree.root(count), WHEN)
    return evidence(seq, leaves[seq - 1], tree.inclusion_proof(seq - 1, count), head), key


def test_untouched_evidence_holds(tmp_path: Path) -> None:
    audit, key = made(tmp_path)
    assert check_evidence(audit, key.public_raw) == []


def test_each_kind_of_damage_is_named(tmp_path: Path) -> None:
    audit, key = made(tmp_path)
    proof = [*audit["proof"]]
    proof[0] = ("0" if proof[0][0] != "0" else "1") + proof[0][1:]
    assert (
        "does not lead to the tree head's root"
        in check_evidence(audit | {"proof": proof}, key.public_raw)[0]
    )
    other = base64.b64encode(records(11)[7]).decode()  # record 8: a playback, not this export
    found = check_evidence(audit | {"leaf": other}, key.public_raw)
    assert any("not export record 4" in p for p in found)
    stranger = SigningKey.load_or_create(tmp_path / "stranger")
    assert check_evidence(audit, stranger.public_raw) == [
        "manifest.json: audit: the tree head's signature does not match"
    ]
    assert "no inclusion proof" in check_evidence({"seq": 4}, key.public_raw)[0]
    assert "malformed" in check_evidence(audit | {"leaf": "%%"}, key.public_raw)[0]
