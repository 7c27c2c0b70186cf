"""Filing (备案) of systems: what the registry records of a device or a cascade platform.

A channel carries its own filing columns; devices and platforms keep theirs here, one row per
system, so that the registry does not widen tables other services own. A row names exactly one
device or one platform and goes with it when it is deleted.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from vigil.store.base import Base, Numbered
from vigil.store.types import UTCDateTime, utcnow

__all__ = ["FilingRecord", "SystemFiling"]


class FilingRecord:
    """The columns the registry requires of a filed camera or system: its units, why and under
    which law it was built, and the number the filing got."""

    owner_unit: Mapped[str | None] = mapped_column(String(128))
    builder_unit: Mapped[str | None] = mapped_column(String(128))
    maintainer_unit: Mapped[str | None] = mapped_column(String(128))
    purpose: Mapped[str | None] = mapped_column(String(255))
    legal_basis: Mapped[str | None] = mapped_column(String(255))
    filing_number: Mapped[str | None] = mapped_column(String(64))


class SystemFiling(FilingRecord, Numbered, Base):
    """The filing record of one device or platform; absent means nothing is filed."""

    __tablename__ = "system_filings"
    __table_args__ = (
        CheckConstraint("(device_id IS NULL) <> (platform_id IS NULL)", name="one_system"),
    )

    device_id: Mapped[str | None] = mapped_column(
        ForeignKey("devices.id", ondelete="CASCADE"), unique=True
    )
    platform_id: Mapped[int | None] = mapped_column(
        ForeignKey("platforms.id", ondelete="CASCADE"), unique=True
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
