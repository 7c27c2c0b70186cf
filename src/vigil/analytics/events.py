"""What analytics publishes on the bus: ``analytics.rules_changed`` once a channel's rules are
saved, so the live analysis reloads that channel's rules (:meth:`AnalyticsRules.rules_for`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from vigil.bus import Event

__all__ = ["RulesChanged"]


@dataclass(frozen=True, kw_only=True)
class RulesChanged(Event):
    """A channel's analytics rules were saved (committed before this is published)."""

    subject_prefix: ClassVar[str] = "analytics.rules_changed"
    channel_id: str
