"""A signed tree head: its exact text form, its signature, and the check of one.

The signed bytes are a fixed text form that anyone can read and rebuild::

    vigil-audit-tree-head v1
    size <number of records>
    root <Merkle root, 64 lower-case hex digits>
    timestamp <ISO 8601 UTC with offset, microseconds>

each line ending in a newline. The signature is Ed25519 (RFC 8032) by the node's key
(:mod:`vigil.governance.signing`); a verifier needs the raw 32-byte public key and nothing of
Vigil's. :func:`parse_head` refuses anything not in exactly this form, so what was signed is what
the fields say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from vigil.governance.signing import SigningKey, verify_signature

__all__ = ["HEAD_VERSION", "SignedTreeHead", "head_bytes", "parse_head", "sign_head"]

HEAD_VERSION = "vigil-audit-tree-head v1"
_HEAD_RE = re.compile(
    rf"{HEAD_VERSION}\nsize (0|[1-9][0-9]{{0,15}})\nroot ([0-9a-f]{{64}})\n"
    r"timestamp ([0-9T:.+-]{32})\n"
)


@dataclass(frozen=True, slots=True)
class SignedTreeHead:
    """The root of the first ``size`` records at ``timestamp``, signed by ``public_key``."""

    size: int
    root: bytes
    timestamp: datetime
    signature: bytes
    public_key: bytes

    @property
    def head(self) -> bytes:
        """The exact bytes that were signed."""
        return head_bytes(self.size, self.root, self.timestamp)

    def verify(self, public_key: bytes | None = None) -> bool:
        """Whether the signature is ``public_key``'s (the head's own key when not given)."""
        key = self.public_key if public_key is None else public_key
        return verify_signature(key, self.signature, self.head)


def head_bytes(size: int, root: bytes, timestamp: datetime) -> bytes:
    """The text form of a head (see the module's docstring)."""
    at = timestamp.astimezone(UTC).isoformat(timespec="microseconds")
    return f"{HEAD_VERSION}\nsize {size}\nroot {root.hex()}\ntimestamp {at}\n".encode()


def parse_head(data: bytes) -> tuple[int, bytes, datetime]:
    """``(size, root, timestamp)`` of a head's text form; ValueError when it is not one."""
    match = _HEAD_RE.fullmatch(data.decode("ascii", errors="replace"))
    if match is None:
        raise ValueError(f"not a {HEAD_VERSION} tree head")
    size, root, at = int(match[1]), bytes.fromhex(match[2]), datetime.fromisoformat(match[3])
    if head_bytes(size, root, at) != data:
        raise ValueError("tree head timestamp is not in UTC with microseconds")
    return size, root, at


def sign_head(key: SigningKey, size: int, root: bytes, timestamp: datetime) -> SignedTreeHead:
    signature = key.sign(head_bytes(size, root, timestamp))
    return SignedTreeHead(size, root, timestamp, signature, key.public_raw)
