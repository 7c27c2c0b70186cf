"""Local time windows of the week, as every schedule in Vigil reads them (recording plans, the
arming of analytics rules).

A window opens at a local start time (HH:MM) on each of its weekdays (Monday 0 … Sunday 6) and
closes at its end; an end at or before the start runs past midnight into the next day (22:00–06:00
on Friday covers Friday night and early Saturday), and an end equal to the start covers 24 hours
from the start. Instants arrive as epoch seconds and are read as naive local times in a zone.
"""

from __future__ import annotations

from collections.abc import Container
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

__all__ = ["DAY", "clock_time", "covers", "local_time", "window_length"]

DAY = timedelta(days=1)


def clock_time(value: Any) -> time:
    """``value`` (HH:MM; 24:00 is midnight) as a time of day; ValueError when it is not one."""
    if value == "24:00":
        return time(0)
    hours, minutes = str(value).split(":")
    return time(int(hours), int(minutes))


def _since_midnight(at: time) -> timedelta:
    return timedelta(hours=at.hour, minutes=at.minute, seconds=at.second)


def window_length(start: time, end: time) -> timedelta:
    """How long a window from ``start`` to ``end`` stays open (more than 0, at most a day)."""
    opens, closes = _since_midnight(start), _since_midnight(end)
    return closes - opens if closes > opens else closes - opens + DAY


def covers(days: Container[int], start: time, end: time, local: datetime) -> bool:
    """Whether the naive local time falls in the window from ``start`` to ``end`` on ``days``
    (the run that opened today or the one that opened yesterday)."""
    for days_back in (0, 1):
        day = local.date() - timedelta(days=days_back)
        if day.weekday() not in days:
            continue
        opens = datetime.combine(day, start)
        if opens <= local < opens + window_length(start, end):
            return True
    return False


def local_time(at: float, zone: ZoneInfo) -> datetime:
    """``at`` (epoch seconds) as a naive local time in ``zone``."""
    return datetime.fromtimestamp(at, UTC).astimezone(zone).replace(tzinfo=None)
