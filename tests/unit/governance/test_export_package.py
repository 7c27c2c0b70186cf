"""Signed export packages: written whole, verified offline, and any changed byte of the video or
the manifest, a swapped key or an added file is named."""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from vigil.governance.export_evidence import evidence
from vigil.governance.export_package import (
    manifest_bytes,
    read_public_key,
    verify_package,
    write_package,
)
from vigil.governance.merkle import leaf_hash
from vigil.governance.signing import SigningKey
from vigil.governance.tree_head import sign_head

VIDEO = "34010000001320000001-20250601T080000Z-20250601T080100Z.mp4"


@pytest.fixture
def key(tmp_path: Path) -> SigningKey:
    return SigningKey.load_or_create(tmp_path / "keys" / "signing.key")


def package(tmp_path: Path, key: SigningKey) -> tuple[Path, bytes]:
    video = tmp_path / VIDEO
    data = bytes(range(256)) * 400
    video.write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    manifest: dict[str, Any] = {
        "export": {"file": VIDEO, "size": len(data), "sha256": digest},
        "audit": audit_of_one_export(key),
    }
    out = tmp_path / "package.zip"
    write_package(out, video, manifest, key)
    return out, data


def audit_of_one_export(key: SigningKey) -> dict[str, Any]:
    """Evidence that the export is record 1 of a log of one record."""
    record = json.dumps({"seq": 1, "action": "video.export"}).encode()
    head = sign_head(key, 1, leaf_hash(record), datetime(2026, 12, 7, tzinfo=UTC))
    return evidence(1, record, [], head)


def rewrite(path: Path, name: str, change: bytes | None) -> None:
    """Rewrite the zip with entry ``name`` replaced by ``change`` (None: added as new)."""
    with zipfile.ZipFile(path) as old:
        entries = {n: old.read(n) for n in old.namelist()}
    entries[name] = change if change is not None else b"added"
    with zipfile.ZipFile(path, "w") as new:
        for entry, data in entries.items():
            new.writestr(entry, data)


def flipped(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def test_a_fresh_package_verifies_with_its_own_key_and_the_nodes(
    tmp_path: Path, key: SigningKey
) -> None:
    path, _ = package(tmp_path, key)
    with zipfile.ZipFile(path) as written:
        assert written.namelist() == [VIDEO, "manifest.json", "manifest.sig", "public_key"]
        assert written.read("public_key") == key.public_raw
        assert all(i.compress_type == zipfile.ZIP_STORED for i in written.infolist())
    check = verify_package(path)
    assert check.ok and check.key == key.public_raw
    assert verify_package(path, key.public_raw).ok
    assert not list(tmp_path.glob("*.part"))


def test_a_changed_video_byte_is_named(tmp_path: Path, key: SigningKey) -> None:
    path, data = package(tmp_path, key)
    rewrite(path, VIDEO, flipped(data, 5000))
    assert verify_package(path).problems == [f"{VIDEO}: SHA-256 differs from the manifest"]


def test_a_byte_flipped_inside_the_zip_itself_is_named(tmp_path: Path, key: SigningKey) -> None:
    path, data = package(tmp_path, key)
    raw = path.read_bytes()
    path.write_bytes(flipped(raw, raw.index(data[:512]) + 7000))
    assert verify_package(path).problems == [
        f"{VIDEO}: damaged inside the package (CRC-32 does not match)"
    ]


def test_a_changed_manifest_fails_its_signature_and_the_video_is_not_trusted_to_it(
    tmp_path: Path, key: SigningKey
) -> None:
    path, _ = package(tmp_path, key)
    with zipfile.ZipFile(path) as written:
        manifest = written.read("manifest.json")
    rewrite(path, "manifest.json", manifest.replace(b'"size"', b'"sizf"'))
    assert verify_package(path).problems == [
        "manifest.json: signature does not match",
        "the video was not checked: the manifest is not trusted",
    ]


def test_a_package_re_signed_by_another_key_fails_against_the_nodes_key(
    tmp_path: Path, key: SigningKey
) -> None:
    path, _ = package(tmp_path, key)
    forger = SigningKey.load_or_create(tmp_path / "forger.key")
    with zipfile.ZipFile(path) as written:
        manifest = json.loads(written.read("manifest.json"))
    manifest["purpose"] = "something else"
    data = manifest_bytes(manifest)
    rewrite(path, "manifest.json", data)
    rewrite(path, "manifest.sig", forger.sign(data))
    rewrite(path, "public_key", forger.public_raw)
    # Consistent on the forger's own key but for the audit evidence, whose tree head the node
    # signed: the forger cannot re-sign it without rewriting what the node published.
    assert verify_package(path).problems == [
        "manifest.json: audit: the tree head's signature does not match"
    ]
    assert verify_package(path, key.public_raw).problems == [
        "public_key: not the key given to check the package with",
        "manifest.json: signature does not match",
        "the video was not checked: the manifest is not trusted",
    ]


def test_an_added_file_and_a_missing_signature_are_named(tmp_path: Path, key: SigningKey) -> None:
    path, _ = package(tmp_path, key)
    rewrite(path, "notes.txt", None)
    assert verify_package(path).problems == [
        "notes.txt: not part of the package (the manifest does not name it)"
    ]
    with zipfile.ZipFile(path) as written:
        kept = {n: written.read(n) for n in written.namelist() if n != "manifest.sig"}
    with zipfile.ZipFile(path, "w") as new:
        for name, data in kept.items():
            new.writestr(name, data)
    assert verify_package(path).problems[0] == "manifest.sig: missing from the package"
    (tmp_path / "not.zip").write_bytes(b"plain")
    assert verify_package(tmp_path / "not.zip").problems[0].startswith("not.zip: not a readable")


def test_public_key_files_are_raw_base64_or_hex(tmp_path: Path, key: SigningKey) -> None:
    raw = key.public_raw
    for name, content in [
        ("raw", raw),
        ("b64", base64.b64encode(raw) + b"\n"),
        ("hex", raw.hex().encode()),
    ]:
        (tmp_path / name).write_bytes(content)
        assert read_public_key(tmp_path / name) == raw
    (tmp_path / "bad").write_text("not a key")
    with pytest.raises(ValueError, match="not an Ed25519 public key"):
        read_public_key(tmp_path / "bad")
