"""Privacy masks: polygons on a channel's picture that viewers without the unmask right see
blurred.

A polygon is kept as JSON text, a list of ``[x, y]`` points in picture coordinates normalised to
0–1 (0, 0 the top-left corner), so a mask drawn once holds for every stream size of the channel.
``preset`` ties a mask to one PTZ preset (None: the channel's every view). A ``permanent`` mask is
never lifted, not even by an approved unmask: it covers what must never be seen (a banned place).
The channel's masks go with the channel (``ON DELETE CASCADE``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from vigil.store.base import Base, Numbered
from vigil.store.types import UTCDateTime, utcnow

__all__ = ["PrivacyMask"]


class PrivacyMask(Numbered, Base):
    """One masked polygon of one channel; see the module docstring."""

    __tablename__ = "privacy_masks"

    channel_id: Mapped[str] = mapped_column(
        ForeignKey("channels.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(64))
    points: Mapped[str] = mapped_column(Text)
    permanent: Mapped[bool] = mapped_column(Boolean, default=False)
    preset: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
