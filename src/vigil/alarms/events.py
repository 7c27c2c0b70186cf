"""What the alarm centre publishes on the bus: ``alarm.raised`` once an alarm is stored, and
``alarm.acknowledged`` / ``alarm.closed`` when an operator moves it, and ``alarm.wall`` when a
``wall`` linkage action asks the open live walls to show the alarm's channel. The console's event
socket forwards them to the browsers whose scope holds the alarm's channel (or device)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from vigil.bus import Event

__all__ = ["AlarmChanged", "AlarmRaised", "AlarmWall"]


@dataclass(frozen=True, kw_only=True)
class AlarmRaised(Event):
    """A new alarm was stored; ``rule_name``: the analytics rule's name, for its alarms."""

    subject_prefix: ClassVar[str] = "alarm.raised"
    alarm_id: int
    source: str
    kind: str
    level: int
    channel_id: str | None
    device_id: str | None
    alarm_at: datetime
    description: str | None
    rule_name: str | None = None


@dataclass(frozen=True, kw_only=True)
class AlarmChanged(Event):
    """An operator acknowledged or closed an alarm."""

    subject_prefix: ClassVar[str] = "alarm"
    alarm_id: int
    state: str
    by: str
    channel_id: str | None
    device_id: str | None

    @property
    def subject(self) -> str:
        return f"alarm.{self.state}"


@dataclass(frozen=True, kw_only=True)
class AlarmWall(Event):
    """A ``wall`` linkage action: open live walls (every wall, or the one named ``wall``) put
    the channel into a cell marked with the alarm."""

    subject_prefix: ClassVar[str] = "alarm.wall"
    alarm_id: int
    channel_id: str
    wall: str | None
    kind: str
    level: int
    alarm_at: datetime
