"""Channel shares (跨部门共享): one channel's live video lent to another department.

A share names the channel, the organisation (department) it is lent to, the approved share
request it rests on and why. It is in force while it is not revoked and its approval is still
approved and unexpired: revoking either ends it, and so does the approval's expiry. Users scoped
to the organisation (or above it) may then watch the channel live; nothing else widens.
The shares of a channel or an organisation go with it (``ON DELETE CASCADE``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from vigil.store.base import Base, Numbered
from vigil.store.types import UTCDateTime, utcnow

__all__ = ["ChannelShare"]


class ChannelShare(Numbered, Base):
    """One channel lent to one organisation under one approval; see the module docstring."""

    __tablename__ = "channel_shares"

    channel_id: Mapped[str] = mapped_column(
        ForeignKey("channels.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    approval_id: Mapped[int] = mapped_column(ForeignKey("approvals.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(255))
    case_number: Mapped[str | None] = mapped_column(String(64))
    shared_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_by: Mapped[str | None] = mapped_column(String(64))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
