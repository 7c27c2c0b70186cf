"""The node's signing key: created private, reused, refused when others can read it, and its
signatures verify with the public half alone and fail on any other bytes."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from vigil.errors import Unavailable
from vigil.governance.signing import SigningKey, default_key_file, verify_signature


def test_a_new_key_is_private_and_the_same_key_is_loaded_again(tmp_path: Path) -> None:
    path = default_key_file(tmp_path)
    key = SigningKey.load_or_create(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert len(key.public_raw) == 32
    assert SigningKey.load_or_create(path).public_raw == key.public_raw


def test_signatures_verify_with_the_public_key_alone(tmp_path: Path) -> None:
    key = SigningKey.load_or_create(tmp_path / "k")
    signature = key.sign(b"tree head")
    assert verify_signature(key.public_raw, signature, b"tree head")
    assert not verify_signature(key.public_raw, signature, b"tree heae")
    other = SigningKey.load_or_create(tmp_path / "other")
    assert not verify_signature(other.public_raw, signature, b"tree head")
    assert not verify_signature(b"short", signature, b"tree head")


def test_a_key_others_can_read_or_of_the_wrong_size_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "k"
    SigningKey.load_or_create(path)
    path.chmod(0o644)
    with pytest.raises(Unavailable, match="chmod 600"):
        SigningKey.load(path)
    path.write_bytes(b"x" * 31)
    path.chmod(0o600)
    with pytest.raises(Unavailable, match="32 raw bytes"):
        SigningKey.load(path)
