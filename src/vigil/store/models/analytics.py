"""The analytics events store: one row per track the live pipeline followed on a channel.

A row is written when the tracker confirms a track (``ended_at`` null while it is open) and
completed when the track ends: its last box, best score, how many frames saw it and the path,
under the data directory, of a JPEG crop of its best detection. ``track_id`` is the tracker's
number, unique within one run of a channel's pipeline (a restart counts again from 1), so rows are
found by their own ``id``. Boxes are normalised (0..1 of the frame, x1, y1, x2, y2). Like alarms,
rows carry the channel ID without a foreign key: the history outlives the catalog.

A closed track also carries the attributes read from its crop (``attributes``, JSON as computed:
``{"type": "car", "colour": "white"}``, ``{"upper": "red", "lower": "unknown"}``, ``{}``; null
when there was no crop) and, for search, their named values in plain indexed columns:
``vehicle_type``, ``colour`` (a vehicle's body), ``upper_colour`` and ``lower_colour`` (a
person's clothes), null where the attribute does not apply or is "unknown". Columns rather than
JSON paths, because a JSON path index is written differently on SQLite and PostgreSQL; each index
leads with the attribute and ends with the start time, as searches ask for one value in a period.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from vigil.store.base import Base, Numbered
from vigil.store.types import UTCDateTime

__all__ = ["AnalyticsTrack"]


class AnalyticsTrack(Numbered, Base):
    """One tracked object on one channel; see the module docstring."""

    __tablename__ = "analytics_tracks"
    __table_args__ = (
        Index("ix_analytics_tracks_channel_started", "channel_id", "started_at"),
        Index("ix_analytics_tracks_vehicle_type_started", "vehicle_type", "started_at"),
        Index("ix_analytics_tracks_colour_started", "colour", "started_at"),
        Index("ix_analytics_tracks_upper_colour_started", "upper_colour", "started_at"),
        Index("ix_analytics_tracks_lower_colour_started", "lower_colour", "started_at"),
    )

    channel_id: Mapped[str] = mapped_column(String(20))
    track_id: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_box: Mapped[list[float]] = mapped_column(JSON)
    last_box: Mapped[list[float]] = mapped_column(JSON)
    best_score: Mapped[float] = mapped_column(Float)
    frames: Mapped[int] = mapped_column(Integer)
    crop_path: Mapped[str | None] = mapped_column(String(512))
    attributes: Mapped[dict[str, str] | None] = mapped_column(JSON)
    vehicle_type: Mapped[str | None] = mapped_column(String(16))
    colour: Mapped[str | None] = mapped_column(String(16))
    upper_colour: Mapped[str | None] = mapped_column(String(16))
    lower_colour: Mapped[str | None] = mapped_column(String(16))
