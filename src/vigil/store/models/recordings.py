"""The recording index: one row per segment file, one per gap, one weekly plan per channel.

Rows carry a channel ID but no foreign key to ``channels``: a recording is evidence and outlives
the catalog entry of the camera that made it (a deleted channel keeps its segments until
retention removes them).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from vigil.store.base import Base, Numbered
from vigil.store.types import UTCDateTime, utcnow

__all__ = ["RecordingGap", "RecordingPlan", "RecordingSegment"]


class _StreamSpan(Numbered):
    """Columns of a span of one stream of a channel: its own ID, the stream, where it starts."""

    channel_id: Mapped[str] = mapped_column(String(20))
    stream: Mapped[int] = mapped_column(Integer, default=0)
    start: Mapped[datetime] = mapped_column(UTCDateTime)


class RecordingSegment(_StreamSpan, Base):
    """One closed segment file (fragmented MP4, copy mode) and the SHA-256 taken when it closed.

    ``path`` is relative to the recordings directory, so a data directory can move. ``locked``
    marks an evidence lock: retention never deletes a locked segment while its lock holds, that
    is until ``lock_expires_at`` (never, when unset); ``lock_case`` is the case it was locked for.
    """

    __tablename__ = "recording_segments"
    __table_args__ = (Index("ix_recording_segments_channel_start", "channel_id", "start"),)

    end: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    codec: Mapped[str] = mapped_column(String(8))
    sha256: Mapped[str] = mapped_column(String(64))
    path: Mapped[str] = mapped_column(String(512), unique=True)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    lock_case: Mapped[str | None] = mapped_column(String(64), default=None)
    lock_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class RecordingGap(_StreamSpan, Base):
    """A span with no recording and why: source-lost, not-scheduled, disk-full, recorder-stopped."""

    __tablename__ = "recording_gaps"
    __table_args__ = (Index("ix_recording_gaps_channel_start", "channel_id", "start"),)

    end: Mapped[datetime] = mapped_column(UTCDateTime)
    cause: Mapped[str] = mapped_column(String(24))


class RecordingPlan(Base):
    """A channel's weekly recording plan (录像计划).

    ``mode`` is ``continuous``, ``scheduled`` (only inside ``windows``) or ``off``; ``windows`` is
    a list of ``{"weekday": 0-6 (Monday 0), "start": "HH:MM", "end": "HH:MM"}`` in the configured
    local time zone, an end at or before the start running past midnight into the next day.
    A channel without a plan records continuously.
    """

    __tablename__ = "recording_plans"

    channel_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    mode: Mapped[str] = mapped_column(String(16), default="continuous")
    windows: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
