"""Audit records, signed tree heads and Merkle proofs on the wire."""

from __future__ import annotations

import base64
from datetime import datetime

from pydantic import BaseModel, Field

from vigil.api.schemas.common import Public
from vigil.api.schemas.mirror import fields_of
from vigil.governance.audit_chain import ChainEntry
from vigil.governance.tree_head import SignedTreeHead
from vigil.governance.tree_heads import InclusionProof


class AuditRecordPublic(Public):
    """One audit record as the API shows it, with its chain hashes."""

    __annotations__ = fields_of(ChainEntry, drop={"prev_hash"})


class TreeHeadPublic(BaseModel):
    """A signed tree head: ``head`` is the exact signed text (base64), whose fields are repeated
    here; ``signature`` is Ed25519 by ``public_key`` (raw 32 bytes, base64)."""

    size: int
    root: str = Field(description="Merkle root of the first `size` records, hex")
    timestamp: datetime
    head: str = Field(description="base64 of the exact bytes signed")
    signature: str = Field(description="base64 Ed25519 signature of `head`")
    public_key: str = Field(description="base64 raw Ed25519 public key (32 bytes)")

    @classmethod
    def of(cls, head: SignedTreeHead) -> TreeHeadPublic:
        return cls(
            size=head.size,
            root=head.root.hex(),
            timestamp=head.timestamp,
            head=_b64(head.head),
            signature=_b64(head.signature),
            public_key=_b64(head.public_key),
        )


class InclusionProofPublic(BaseModel):
    """Record ``index + 1``'s leaf (its canonical bytes, base64) and audit path (RFC 9162
    §2.1.3) in the tree of ``size`` records; the leaf hash is SHA-256(0x00 ‖ leaf)."""

    index: int = Field(description="leaf index, 0-based: the record's seq − 1")
    size: int
    leaf: str = Field(description="base64 of the record's canonical bytes")
    proof: list[str] = Field(description="the audit path, hex, from the leaf upwards")

    @classmethod
    def of(cls, found: InclusionProof) -> InclusionProofPublic:
        proof = [node.hex() for node in found.proof]
        return cls(index=found.index, size=found.size, leaf=_b64(found.leaf), proof=proof)


class ConsistencyProofPublic(BaseModel):
    """The consistency proof (RFC 9162 §2.1.4) between the trees of two sizes."""

    proof: list[str] = Field(description="hex node hashes")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
