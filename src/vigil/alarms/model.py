"""The alarm model every source shares: sources, levels, states and the moves between them.

An alarm is raised ``new``; an operator acknowledges it (seen, being handled) and closes it
(handled), each step with who, when and a note. Closing straight from ``new`` is allowed (a false
alarm needs no acknowledgement first); nothing leaves ``closed``. The moves are a table, so the
service and its tests read the same rules.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from vigil.errors import Invalid

__all__ = ["MOVES", "AlarmSource", "AlarmState", "NewAlarm", "from_states"]


class AlarmSource(enum.StrEnum):
    """What raised an alarm."""

    device = "device"
    """A device's GB/T 28181 Alarm NOTIFY (stored first as a device alarm)."""
    analytics = "analytics"
    """An analytics rule (intrusion, loitering, crowding, line crossing) on a channel."""
    availability = "availability"
    """A picture fault that video quality diagnosis raised on a channel."""


class AlarmState(enum.StrEnum):
    """Where an alarm is in its handling."""

    new = "new"
    acknowledged = "acknowledged"
    closed = "closed"


#: (action, the state it leads to) → the states it may start from.
MOVES: dict[str, tuple[AlarmState, frozenset[AlarmState]]] = {
    "acknowledge": (AlarmState.acknowledged, frozenset({AlarmState.new})),
    "close": (AlarmState.closed, frozenset({AlarmState.new, AlarmState.acknowledged})),
}


def from_states(action: str) -> list[str]:
    """The states ``action`` may start from, sorted (for SQL)."""
    return sorted(state.value for state in MOVES[action][1])


@dataclass(frozen=True, kw_only=True)
class NewAlarm:
    """An alarm to raise. ``level`` follows GB/T 28181's AlarmPriority: 1 (most urgent) to 4."""

    source: AlarmSource
    kind: str
    level: int
    at: datetime
    channel_id: str | None = None
    device_id: str | None = None
    description: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    snapshot_path: str | None = None

    def __post_init__(self) -> None:
        if self.level not in (1, 2, 3, 4):
            raise Invalid(f"alarm level {self.level} is not 1 to 4", code="alarm.level")
        if not 0 < len(self.kind) <= 64:
            raise Invalid("an alarm kind has 1 to 64 characters", code="alarm.kind")
        if self.at.tzinfo is None:
            raise Invalid("an alarm time needs its UTC offset", code="alarm.time")
