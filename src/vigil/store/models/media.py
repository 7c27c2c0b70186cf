"""What the media plane saw in a channel's stream: its picture size (the HD ratio's basis)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from vigil.store.base import Base
from vigil.store.types import UTCDateTime, utcnow

__all__ = ["StreamResolution"]


class StreamResolution(Base):
    """The picture size of a channel's main stream, from the parameter sets (SPS) of the first
    keyframe each time the stream started; goes with the channel."""

    __tablename__ = "stream_resolutions"

    channel_id: Mapped[str] = mapped_column(
        ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True
    )
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    codec: Mapped[str] = mapped_column(String(8))
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
