"""A tree head's signed text form: exact, parsed back only when it is exactly that form."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from vigil.governance.audit_verify import head_from_json, head_problem
from vigil.governance.merkle import MerkleTree, leaf_hash
from vigil.governance.signing import SigningKey
from vigil.governance.tree_head import head_bytes, parse_head, sign_head

AT = datetime(2026, 3, 1, 8, 30, 0, 123456, tzinfo=UTC)


def test_text_form_is_exact_and_parses_back() -> None:
    root = bytes(range(32))
    data = head_bytes(12, root, AT)
    assert data == (
        b"vigil-audit-tree-head v1\nsize 12\nroot " + root.hex().encode()
        + b"\ntimestamp 2026-03-01T08:30:00.123456+00:00\n"
    )  # fmt: skip
    assert parse_head(data) == (12, root, AT)
    local = AT.astimezone(timezone(timedelta(hours=8)))
    assert head_bytes(12, root, local) == data  # always written in UTC
    with pytest.raises(ValueError, match="not a vigil-audit-tree-head v1"):
        parse_head(data + b"extra\n")
    with pytest.raises(ValueError, match="UTC"):
        parse_head(data.replace(b"+00:00", b"+08:00"))


def test_a_head_from_json_is_checked_against_the_tree(tmp_path: Path) -> None:
    key = SigningKey.load_or_create(tmp_path / "signing.key")
    tree = MerkleTree([leaf_hash(bytes([i])) for i in range(5)])
    head = sign_head(key, 4, tree.root(4), AT)

    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode()

    document = {
        "size": 4, "root": tree.root(4).hex(), "timestamp": AT.isoformat(),
        "head": b64(head.head), "signature": b64(head.signature), "public_key": b64(key.public_raw),
    }  # fmt: skip
    assert head_problem(tree, head_from_json(document), key.public_raw) is None
    with pytest.raises(ValueError, match="size or root differ"):
        head_from_json({**document, "size": 5})
    other = SigningKey.load_or_create(tmp_path / "other.key").public_raw
    assert "is not signed by key" in str(head_problem(tree, head, other))
    changed = MerkleTree([leaf_hash(b"x"), *(tree.leaf(i) for i in range(1, 5))])
    assert "were changed" in str(head_problem(changed, head, key.public_raw))
    assert "records were deleted" in str(head_problem(MerkleTree(), head, key.public_raw))
