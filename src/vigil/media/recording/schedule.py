"""Weekly recording plans (录像计划): continuous, off, or time windows in local time.

A window is a weekday and a local start and end time in the platform's zone (``settings.zone``),
read as :mod:`vigil.week_windows` reads every schedule's. Plans are evaluated at arrival times,
which are UTC: the conversion happens here, and so does finding the next instant a window opens or
closes (:meth:`RecordingSchedule.next_change`), which is when whoever keeps channels recorded must
look at the plan again.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from vigil.errors import Invalid
from vigil.week_windows import clock_time, covers, local_time, window_length

__all__ = ["PlanMode", "RecordingSchedule", "Window"]


class PlanMode(enum.StrEnum):
    """Whether a channel records all the time, in its windows, or not at all."""

    continuous = "continuous"
    scheduled = "scheduled"
    off = "off"


def _parse_time(value: Any, name: str) -> time:
    try:
        return clock_time(value)
    except ValueError:
        raise Invalid(f"window {name} must be HH:MM, got {value!r}") from None


@dataclass(frozen=True, slots=True)
class Window:
    """A weekly time window to record in: a weekday and a local start and end."""

    weekday: int  # Monday 0 … Sunday 6, local
    start: time
    end: time

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> Window:
        weekday = raw.get("weekday")
        if not isinstance(weekday, int) or not 0 <= weekday <= 6:
            raise Invalid(f"window weekday must be 0 (Monday) to 6 (Sunday), got {weekday!r}")
        return cls(
            weekday, _parse_time(raw.get("start"), "start"), _parse_time(raw.get("end"), "end")
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "weekday": self.weekday,
            "start": self.start.strftime("%H:%M"),
            "end": self.end.strftime("%H:%M"),
        }

    def edges(self, local: datetime) -> list[datetime]:
        """Where this window opens and closes, local, from the day before ``local`` to a week
        after it (a window lasts at most a day, so yesterday's may still be open)."""
        found = []
        for days in range(-1, 8):
            day = local.date() + timedelta(days=days)
            if day.weekday() == self.weekday:
                opens = datetime.combine(day, self.start)
                found += [opens, opens + window_length(self.start, self.end)]
        return found

    def covers(self, local: datetime) -> bool:
        """Whether the naive local time falls in this window (this week's or last week's run)."""
        return covers((self.weekday,), self.start, self.end, local)


@dataclass(frozen=True, slots=True)
class RecordingSchedule:
    """A channel's plan, ready to answer "record at this instant?"."""

    mode: PlanMode = PlanMode.continuous
    windows: tuple[Window, ...] = ()

    @classmethod
    def parse(cls, mode: str, windows: list[dict[str, Any]]) -> RecordingSchedule:
        try:
            plan_mode = PlanMode(mode)
        except ValueError:
            raise Invalid(f"plan mode must be one of {', '.join(PlanMode)}, got {mode!r}") from None
        return cls(plan_mode, tuple(Window.parse(w) for w in windows))

    def active(self, at: float, zone: ZoneInfo) -> bool:
        """Whether to record at ``at`` (epoch seconds)."""
        if self.mode is PlanMode.continuous:
            return True
        if self.mode is PlanMode.off:
            return False
        return any(window.covers(local_time(at, zone)) for window in self.windows)

    def next_change(self, at: float, zone: ZoneInfo) -> float | None:
        """The first instant after ``at`` (epoch seconds) at which a window opens or closes, so
        :meth:`active` may answer differently; None when it never will (continuous, off, or no
        windows)."""
        if self.mode is not PlanMode.scheduled:
            return None
        local = local_time(at, zone)
        edges = (
            edge.replace(tzinfo=zone).timestamp()
            for window in self.windows
            for edge in window.edges(local)
        )
        return min((edge for edge in edges if edge > at), default=None)
