"""Access windows: when a role or a user may do an action (see vigil.governance.access_policy).

Channel sensitivity and user clearance are columns of ``channels`` and ``users``.
"""

from __future__ import annotations

from datetime import time

from sqlalchemy import ForeignKey, String, Time
from sqlalchemy.orm import Mapped, mapped_column

from vigil.store.base import Base, Numbered

__all__ = ["AccessWindowRow"]


class AccessWindowRow(Numbered, Base):
    """One window: a role's or a user's, for one action, from ``start`` to ``end`` local time
    (an end before the start runs past midnight), on ``days`` (ISO weekdays as digits, "12345";
    None: every day)."""

    __tablename__ = "access_windows"

    role: Mapped[str | None] = mapped_column(String(16))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(16))
    start: Mapped[time] = mapped_column(Time)
    end: Mapped[time] = mapped_column(Time)
    days: Mapped[str | None] = mapped_column(String(7))
