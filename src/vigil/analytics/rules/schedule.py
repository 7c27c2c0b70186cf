"""When a rule is armed: weekly time windows in a named time zone.

Vigil's recording plans have a weekly schedule too (``vigil.media.recording.schedule``, with
recording modes a rule has no use for); both read their windows as :mod:`vigil.week_windows` does:
a window here is a set of weekdays (Monday 0 … Sunday 6) and a local start and end, HH:MM, and
times are read in the schedule's zone (an IANA name, so that it survives the daylight-saving
changes).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from vigil.errors import Invalid
from vigil.week_windows import clock_time, covers, local_time

__all__ = ["TimeWindow", "WeeklySchedule"]


def _parse_time(value: Any, name: str) -> time:
    try:
        return clock_time(value)
    except ValueError:
        raise Invalid(
            f"a schedule window's {name} must be HH:MM, got {value!r}", code="rule.schedule_time"
        ) from None


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """Local ``start`` to ``end`` on each of ``days`` (Monday 0 … Sunday 6)."""

    days: tuple[int, ...]
    start: time
    end: time

    def __post_init__(self) -> None:
        if not self.days:
            raise Invalid("a schedule window needs at least one day", code="rule.schedule_days")
        for day in self.days:
            if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= 6:
                raise Invalid(
                    f"schedule days must be 0 (Monday) to 6 (Sunday), got {day!r}",
                    code="rule.schedule_days",
                )
        object.__setattr__(self, "days", tuple(sorted(set(self.days))))

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> TimeWindow:
        days = raw.get("days")
        if not isinstance(days, list | tuple):
            raise Invalid(
                f"a schedule window's days must be a list, got {days!r}",
                code="rule.schedule_days",
            )
        start = _parse_time(raw.get("start"), "start")
        return cls(tuple(days), start, _parse_time(raw.get("end"), "end"))

    def as_dict(self) -> dict[str, Any]:
        return {
            "days": list(self.days),
            "start": self.start.strftime("%H:%M"),
            "end": self.end.strftime("%H:%M"),
        }

    def covers(self, local: datetime) -> bool:
        """Whether the naive local time falls in this window (today's run or yesterday's)."""
        return covers(self.days, self.start, self.end, local)


@dataclass(frozen=True)
class WeeklySchedule:
    """The windows in which a rule is armed, read in the IANA time zone ``zone``."""

    zone: str
    windows: tuple[TimeWindow, ...]
    _tz: ZoneInfo = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            tz = ZoneInfo(self.zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise Invalid(
                f"unknown time zone {self.zone!r} (an IANA name such as 'Asia/Shanghai')",
                code="rule.schedule_zone",
            ) from None
        if not self.windows:
            raise Invalid(
                "a schedule needs at least one window (leave it out to arm the rule always)",
                code="rule.schedule_empty",
            )
        object.__setattr__(self, "_tz", tz)

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> WeeklySchedule:
        windows = raw.get("windows")
        if not isinstance(windows, list | tuple) or not all(
            isinstance(w, Mapping) for w in windows
        ):
            raise Invalid(
                f"a schedule's windows must be a list of objects, got {windows!r}",
                code="rule.schedule_windows",
            )
        zone = raw.get("zone")
        if not isinstance(zone, str):
            raise Invalid(
                f"a schedule needs a time zone name, got {zone!r}", code="rule.schedule_zone"
            )
        return cls(zone, tuple(TimeWindow.parse(w) for w in windows))

    def as_dict(self) -> dict[str, Any]:
        return {"zone": self.zone, "windows": [w.as_dict() for w in self.windows]}

    def active(self, at: float) -> bool:
        """Whether the rule is armed at ``at`` (epoch seconds)."""
        local = local_time(at, self._tz)
        return any(window.covers(local) for window in self.windows)
