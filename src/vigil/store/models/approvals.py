"""Approval requests (审批): someone asks to export, unmask or share a channel's video; another
user with the right decides; an approval is a grant that expires.

One row per request: what is asked (``kind``, the channel, for an export the time range), why
(``purpose``, an optional case number), by whom, and its handling (``state`` pending → approved
or rejected; approved → revoked; an approval past ``expires_at`` reads as expired), each step
with who, when and a note. Like alarms, rows carry the channel ID without a foreign key: the
record of who was allowed what outlives the catalog.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from vigil.store.base import Base, Numbered
from vigil.store.types import UTCDateTime, utcnow

__all__ = ["Approval"]


class Approval(Numbered, Base):
    """One approval request and its handling; see the module docstring."""

    __tablename__ = "approvals"
    __table_args__ = (
        Index("ix_approvals_state_id", "state", "id"),
        Index("ix_approvals_requester_id", "requester_id", "id"),
    )

    kind: Mapped[str] = mapped_column(String(24))
    channel_id: Mapped[str] = mapped_column(String(20), index=True)
    range_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    range_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    purpose: Mapped[str] = mapped_column(String(255))
    case_number: Mapped[str | None] = mapped_column(String(64))
    requester: Mapped[str] = mapped_column(String(64))
    requester_id: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str | None] = mapped_column(String(500))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by: Mapped[str | None] = mapped_column(String(64))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoke_note: Mapped[str | None] = mapped_column(String(500))
