"""Each channel's analytics rules: the zones and lines drawn on its picture, as one versioned set.

One row per channel that has ever had rules saved: ``rules`` is the JSON list of rule dicts as
:func:`vigil.analytics.rules.rule_to_dict` writes them, ``version`` counts the saves (1 after the
first; a channel without a row is at version 0), with who saved last and when. The row goes with
the channel.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from vigil.store.base import Base
from vigil.store.types import UTCDateTime, utcnow

__all__ = ["AnalyticsRuleSet"]


class AnalyticsRuleSet(Base):
    """A channel's analytics rules; see the module docstring."""

    __tablename__ = "analytics_rules"

    channel_id: Mapped[str] = mapped_column(
        ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True
    )
    rules: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(64))
