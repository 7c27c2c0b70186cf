"""Signed export packages: one ``.zip`` that a recipient checks offline, with no node and no
database.

A package holds four entries, stored uncompressed:

- the exported MP4, under the name the manifest gives it (``export.file``);
- ``manifest.json``: the export's manifest (channel, range, the MP4's SHA-256 and size, every
  source segment's SHA-256, purpose, case, requester, approver, approval, time, and the
  export's ``audit`` record with its inclusion proof and the signed tree head it leads to);
- ``manifest.sig``: the node's Ed25519 signature (64 raw bytes) over the exact bytes of
  ``manifest.json``;
- ``public_key``: the node's public key, 32 raw bytes.

:func:`verify_package` checks the signature and re-hashes the MP4, and names each entry that no
longer matches ("manifest.json: signature does not match", "<file>.mp4: SHA-256 differs from the
manifest"). A package's own ``public_key`` only proves that the package is unchanged since
someone signed it; that the node signed it needs the node's key from elsewhere
(``--public-key``), which is then compared too.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vigil.governance.export_evidence import check_evidence
from vigil.governance.signing import KEY_BYTES, SigningKey, verify_signature

__all__ = [
    "MANIFEST",
    "PUBLIC_KEY",
    "SIGNATURE",
    "PackageCheck",
    "manifest_bytes",
    "read_public_key",
    "verify_package",
    "write_package",
]

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
PUBLIC_KEY = "public_key"
_CHUNK = 1 << 20


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    """The manifest as the package stores (and signs) it."""
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()


def write_package(out: Path, video: Path, manifest: dict[str, Any], key: SigningKey) -> None:
    """Write the package for ``video`` (named in the zip as ``manifest["export"]["file"]``) to
    ``out``, whole or not at all. Blocking: run it in a worker thread."""
    data = manifest_bytes(manifest)
    partial = out.with_name(out.name + ".part")
    try:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_STORED, allowZip64=True) as package:
            package.write(video, arcname=manifest["export"]["file"])
            package.writestr(MANIFEST, data)
            package.writestr(SIGNATURE, key.sign(data))
            package.writestr(PUBLIC_KEY, key.public_raw)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)


def read_public_key(path: Path) -> bytes:
    """A public key file: 32 raw bytes, or their base64 (or hex) text. ValueError otherwise."""
    raw = path.read_bytes()
    if len(raw) == KEY_BYTES:
        return raw
    text = raw.strip()
    for decode in (base64.b64decode, binascii.unhexlify):
        try:
            key = decode(text)
        except (binascii.Error, ValueError):
            continue
        if len(key) == KEY_BYTES:
            return key
    raise ValueError(f"{path}: not an Ed25519 public key (32 raw bytes, base64 or hex)")


@dataclass
class PackageCheck:
    """What :func:`verify_package` found: one line per problem (empty: intact), the key the
    signature was checked with, and the manifest when it could be read."""

    problems: list[str] = field(default_factory=list)
    key: bytes | None = None
    manifest: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def _read(package: zipfile.ZipFile, name: str, check: PackageCheck) -> bytes | None:
    if name not in package.namelist():
        check.problems.append(f"{name}: missing from the package")
        return None
    try:
        return package.read(name)
    except zipfile.BadZipFile:
        check.problems.append(f"{name}: damaged inside the package (CRC-32 does not match)")
        return None


def _video_sha256(package: zipfile.ZipFile, name: str) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with package.open(name) as entry:
        while chunk := entry.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _check_video(package: zipfile.ZipFile, manifest: dict[str, Any], check: PackageCheck) -> None:
    found = manifest.get("export")
    export: dict[str, Any] = found if isinstance(found, dict) else {}
    name = export.get("file")
    if not isinstance(name, str):
        check.problems.append(f"{MANIFEST}: names no exported file")
        return
    if name not in package.namelist():
        check.problems.append(f"{name}: missing from the package")
        return
    try:
        digest, size = _video_sha256(package, name)
    except zipfile.BadZipFile:
        check.problems.append(f"{name}: damaged inside the package (CRC-32 does not match)")
        return
    if digest != export.get("sha256"):
        check.problems.append(f"{name}: SHA-256 differs from the manifest")
    elif size != export.get("size"):
        check.problems.append(f"{name}: size differs from the manifest")
    known = {name, MANIFEST, SIGNATURE, PUBLIC_KEY}
    check.problems += [
        f"{extra}: not part of the package (the manifest does not name it)"
        for extra in package.namelist()
        if extra not in known
    ]


def _check_signature(
    package: zipfile.ZipFile, trusted: bytes | None, check: PackageCheck
) -> bytes | None:
    """The manifest's bytes when its signature holds (problems noted otherwise)."""
    data = _read(package, MANIFEST, check)
    signature = _read(package, SIGNATURE, check)
    enclosed = _read(package, PUBLIC_KEY, check)
    if trusted is not None and enclosed is not None and enclosed != trusted:
        check.problems.append(f"{PUBLIC_KEY}: not the key given to check the package with")
    check.key = trusted if trusted is not None else enclosed
    if data is None or signature is None or check.key is None:
        return None
    if not verify_signature(check.key, signature, data):
        check.problems.append(f"{MANIFEST}: signature does not match")
        return None
    return data


def verify_package(path: Path, public_key: bytes | None = None) -> PackageCheck:
    """Check the package at ``path`` (with ``public_key``, when given, instead of the one it
    carries); the MP4 is checked only against a manifest whose signature holds."""
    check = PackageCheck()
    try:
        package = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        check.problems.append(f"{path.name}: not a readable zip file ({exc})")
        return check
    with package:
        data = _check_signature(package, public_key, check)
        if data is None:
            check.problems.append("the video was not checked: the manifest is not trusted")
            return check
        try:
            manifest = json.loads(data)
        except ValueError:
            manifest = None
        if not isinstance(manifest, dict):
            check.problems.append(f"{MANIFEST}: not a JSON object")
            return check
        check.manifest = manifest
        _check_video(package, manifest, check)
        if check.key is not None:
            check.problems += check_evidence(manifest.get("audit"), check.key)
    return check
