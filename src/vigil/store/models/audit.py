"""The append-only audit log and its signed tree heads.

Each record's ``hash`` covers its predecessor's (a hash chain) and its ``leaf_hash`` is its leaf in
the log's Merkle tree (SHA-256 of 0x00 and the record's canonical bytes); a tree head is the root of
the first ``size`` records, signed with the node's Ed25519 key, kept so old heads can be served.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from vigil.store.base import Base, Numbered
from vigil.store.types import UTCDateTime

__all__ = ["AuditRecord", "AuditTreeHead"]


class AuditRecord(Base):
    """Who did what, to which channel, when, from where, with what outcome."""

    __tablename__ = "audit_records"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    resource: Mapped[str] = mapped_column(String(255))
    channel_id: Mapped[str | None] = mapped_column(String(20), index=True)
    source: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    leaf_hash: Mapped[str] = mapped_column(String(64))


class AuditTreeHead(Numbered, Base):
    """A signed tree head: the Merkle root of the first ``size`` records at ``at``."""

    __tablename__ = "audit_tree_heads"

    size: Mapped[int] = mapped_column(Integer, index=True)
    root: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: The Ed25519 signature of the head's text form (hex, 64 bytes).
    signature: Mapped[str] = mapped_column(String(128))
    #: The raw public key that verifies it (hex, 32 bytes): old heads outlive a key rotation.
    public_key: Mapped[str] = mapped_column(String(64))
