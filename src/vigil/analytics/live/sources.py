"""What the live pipeline needs from the rest of the node, as protocols: where its rules come
from and where its alarms go. The composition root passes the real ones (the rules store's service
and the alarm centre); tests pass their own."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, TypedDict, Unpack

from vigil.analytics.rules import Rule

__all__ = ["RULES_CHANGED", "AlarmRaiser", "NoRules", "RuleAlarm", "RulesSource"]

#: The bus subject on which the rules store announces a channel's changed rules (the event has
#: a ``channel_id`` attribute).
RULES_CHANGED = "analytics.rules_changed"


class RulesSource(Protocol):
    """The channels' analytics rules."""

    async def enabled_channels(self) -> dict[str, list[Rule]]:
        """Every channel with at least one enabled rule, and its rules."""
        ...

    async def rules_for(self, channel_id: str) -> list[Rule]:
        """One channel's rules (enabled or not; none: an empty list)."""
        ...


class NoRules:
    """No channel has rules: the pipeline stays idle (until a real source is wired)."""

    async def enabled_channels(self) -> dict[str, list[Rule]]:
        return {}

    async def rules_for(self, channel_id: str) -> list[Rule]:
        return []


class RuleAlarm(TypedDict):
    """What the pipeline tells the alarm centre of one rule event: the channel, the rule (its id,
    its name when known), the event's kind and time, the object that set it off and the still
    saved of it."""

    channel_id: str
    rule_id: int | str
    kind: str
    at: datetime
    rule_name: str | None
    track_id: int | None
    label: str | None
    box: tuple[float, float, float, float] | None
    score: float | None
    snapshot_path: str | None


class AlarmRaiser(Protocol):
    """The alarm centre's entry for analytics (``AlarmCentre.raise_analytics``)."""

    async def raise_analytics(self, **alarm: Unpack[RuleAlarm]) -> object:
        """Raise one alarm for a rule event."""
        ...
