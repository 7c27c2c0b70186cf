"""Availability: picture faults found by video quality diagnosis, and the work orders they open.

A fault row is one episode: opened when diagnosis raised it, closed when it cleared; an open fault
has ``closed_at`` NULL. Each opened fault opens a work order (工单) assigned to the channel's
maintainer unit, closed with it, so time-to-repair is ``closed_at - opened_at`` of the order.
Like recordings, rows carry a channel ID without a foreign key: history outlives the catalog.

What diagnosis learns and is told per channel survives a restart: its baseline of healthy
figures, its threshold overrides and the preset it was last sent to (:class:`ChannelDiagnosis`),
and a reference picture per preset for "scene changed" (:class:`ChannelReference`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vigil.store.base import Base, Numbered
from vigil.store.types import UTCDateTime, utcnow

__all__ = ["ChannelDiagnosis", "ChannelReference", "VideoFault", "WorkOrder"]


class VideoFault(Numbered, Base):
    """One fault episode of one channel: kind (``FaultKind`` value), score, evidence frame."""

    __tablename__ = "video_faults"
    __table_args__ = (Index("ix_video_faults_channel_opened", "channel_id", "opened_at"),)

    channel_id: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(24))
    score: Mapped[float] = mapped_column(Float)
    threshold: Mapped[float] = mapped_column(Float)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # Relative to the data directory, like recording paths.
    evidence_path: Mapped[str | None] = mapped_column(String(512))


class WorkOrder(Numbered, Base):
    """A repair ticket for one fault, assigned to the maintainer unit the channel had then."""

    __tablename__ = "work_orders"

    fault_id: Mapped[int] = mapped_column(
        ForeignKey("video_faults.id", ondelete="CASCADE"), unique=True
    )
    channel_id: Mapped[str] = mapped_column(String(20), index=True)
    assignee: Mapped[str | None] = mapped_column(String(128))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # Loaded only when asked for (``joinedload``): the order list shows the fault's kind.
    fault: Mapped[VideoFault] = relationship(lazy="raise")


class ChannelDiagnosis(Base):
    """A channel's diagnosis state: baseline (JSON: measure → recent healthy values), threshold
    overrides (JSON: ``Thresholds`` field → value) and current preset (NULL: its fixed view)."""

    __tablename__ = "channel_diagnosis"

    channel_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    baseline: Mapped[str] = mapped_column(Text, default="{}")
    thresholds: Mapped[str] = mapped_column(Text, default="{}")
    preset: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ChannelReference(Base):
    """The reference view of one preset of a channel (preset 0: the fixed view): the coarse
    gradient picture a round is compared with, float32, ``height`` × ``width``."""

    __tablename__ = "channel_references"

    channel_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    preset: Mapped[int] = mapped_column(Integer, primary_key=True)
    height: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    picture: Mapped[bytes] = mapped_column(LargeBinary)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
