"""The node's Ed25519 signing key: it signs the audit log's tree heads and export manifests.

The key is kept outside the database, so a copy of the database alone cannot forge a head or a
package: a file holding the raw 32-byte private key, readable by its owner only (0600), at
``VIGIL_SIGNING_KEY_FILE`` or ``<data_dir>/keys/signing.key``, created on first use. A file that
others can read is refused (say which, and how to fix it) rather than used. Verifiers need only the
raw 32-byte public key (:attr:`SigningKey.public_raw`) and :func:`verify_signature` (or any
Ed25519 implementation: the signatures are RFC 8032's).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from vigil.errors import Unavailable

__all__ = ["KEY_BYTES", "SigningKey", "default_key_file", "verify_signature"]

KEY_BYTES = 32


def default_key_file(data_dir: Path) -> Path:
    """Where the key lives unless a setting names another file."""
    return data_dir / "keys" / "signing.key"


@dataclass(frozen=True)
class SigningKey:
    """An Ed25519 private key and its raw public half."""

    private: Ed25519PrivateKey

    @classmethod
    def load_or_create(cls, path: Path) -> SigningKey:
        """The key in ``path``; a new one written there (0600, its folder 0700) when absent."""
        if not path.exists():
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            raw = Ed25519PrivateKey.generate().private_bytes(
                Encoding.Raw, PrivateFormat.Raw, NoEncryption()
            )
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:  # another process wrote it first: use theirs
                return cls.load(path)
            with os.fdopen(descriptor, "wb") as file:
                file.write(raw)
        return cls.load(path)

    @classmethod
    def load(cls, path: Path) -> SigningKey:
        """The key in ``path``, refused when others may read it or it is not 32 raw bytes."""
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise Unavailable(
                f"signing key {path} is readable by others (mode {mode:o}): chmod 600 it"
            )
        raw = path.read_bytes()
        if len(raw) != KEY_BYTES:
            raise Unavailable(f"signing key {path}: expected {KEY_BYTES} raw bytes, not {len(raw)}")
        return cls(Ed25519PrivateKey.from_private_bytes(raw))

    @property
    def public_raw(self) -> bytes:
        """The public key, raw (32 bytes)."""
        return self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    def sign(self, data: bytes) -> bytes:
        """The Ed25519 signature (64 bytes) of ``data``."""
        return self.private.sign(data)


def verify_signature(public_raw: bytes, signature: bytes, data: bytes) -> bool:
    """Whether ``signature`` is ``public_raw``'s Ed25519 signature of ``data``."""
    try:
        Ed25519PublicKey.from_public_bytes(public_raw).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True
