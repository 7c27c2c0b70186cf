"""What the rules raise: one event per intrusion, loitering, crowding or line crossing."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from vigil.analytics.rules.observations import Box

__all__ = ["RuleEvent", "RuleKind"]


class RuleKind(enum.StrEnum):
    """The kinds of rule, which are also the kinds of the events they raise."""

    intrusion = "intrusion"
    loitering = "loitering"
    crowding = "crowding"
    line_crossing = "line_crossing"


@dataclass(frozen=True, slots=True)
class RuleEvent:
    """A rule fired: which rule, for which track (None for crowding, which is about many), when
    (epoch seconds, the frame's time), the box (the union of the crowd's boxes for crowding), a
    short reason for people, and a count where the rule counts (the crowd's size, or the line's
    counter for the crossing's direction after this crossing)."""

    rule_id: str
    kind: RuleKind
    track_id: int | None
    label: str
    at: float
    box: Box
    reason: str
    count: int | None = None
