"""The alarm centre's tables: every alarm, whatever raised it, and the linkage rules.

One row per alarm from any source (a device's GB/T 28181 Alarm NOTIFY, an analytics rule, an
availability fault): what raised it (``source``, ``kind``, ``level``), where (``channel_id``
and/or ``device_id``), when, its evidence (a snapshot path under the data directory and the
clip range of the recording it points at) and its handling (``state`` new → acknowledged →
closed, each step with who, when and a note). Like recordings and faults, rows carry channel and
device IDs without foreign keys: alarm history outlives the catalog.

A linkage rule names which alarms it matches (a source and/or a kind; empty matches any) and the
actions to run for them, a JSON list of ``{"type": ..., ...}`` objects.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from vigil.store.base import Base, Numbered
from vigil.store.types import UTCDateTime, utcnow

__all__ = ["Alarm", "AlarmLinkage"]


class Alarm(Numbered, Base):
    """One alarm and its handling; see the module docstring."""

    __tablename__ = "alarms"
    __table_args__ = (
        Index("ix_alarms_state_id", "state", "id"),
        Index("ix_alarms_channel_at", "channel_id", "at"),
    )

    source: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(64), index=True)
    level: Mapped[int] = mapped_column(Integer)
    channel_id: Mapped[str | None] = mapped_column(String(20))
    device_id: Mapped[str | None] = mapped_column(String(20), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    description: Mapped[str | None] = mapped_column(String(255))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    snapshot_path: Mapped[str | None] = mapped_column(String(512))
    clip_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    clip_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(16), default="new")
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(64))
    acknowledged_note: Mapped[str | None] = mapped_column(String(500))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(64))
    closed_note: Mapped[str | None] = mapped_column(String(500))


class AlarmLinkage(Numbered, Base):
    """A linkage rule: the alarms it matches and the actions run for each."""

    __tablename__ = "alarm_linkages"

    name: Mapped[str] = mapped_column(String(64))
    source: Mapped[str | None] = mapped_column(String(16))
    kind: Mapped[str | None] = mapped_column(String(64))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    actions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
