"""Intact rate (完好率): which camera-days were intact, and the share of them per group.

A camera-day is one channel over one local calendar day (in the platform's time zone). It is
intact when, for the whole day:

* its device was online (the state set by the last ``DeviceStatusEvent`` at or before each moment;
  a device with no event yet counts as offline);
* no picture fault of the channel was open (a fault open at any moment of the day spoils it);
* its recording was complete: no ``RecordingGap`` other than ``not-scheduled`` touches the day.

Pure functions over plain spans: the service (:mod:`.intact_rate`) loads the rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = [
    "KEY_AREA_TARGET",
    "OTHER_TARGET",
    "Day",
    "DayRate",
    "GroupRate",
    "Span",
    "days_between",
    "intact_days",
    "offline_spans",
    "rate_by_group",
]

#: The policy's targets: key public areas 98 %, other (industry) sites 95 %.
KEY_AREA_TARGET = 0.98
OTHER_TARGET = 0.95

Span = tuple[datetime, datetime]  # [start, end), UTC-aware


@dataclass(frozen=True, slots=True)
class Day:
    """One local calendar day and its UTC bounds."""

    day: date
    start: datetime
    end: datetime


def days_between(first: date, last: date, zone: ZoneInfo) -> list[Day]:
    """Every local day from ``first`` to ``last`` inclusive, with its bounds in UTC."""
    out = []
    day = first
    while day <= last:
        start = datetime.combine(day, time(), zone)
        end = datetime.combine(day + timedelta(days=1), time(), zone)
        out.append(Day(day, start, end))
        day += timedelta(days=1)
    return out


def offline_spans(
    transitions: Sequence[tuple[datetime, bool]], start: datetime, end: datetime
) -> list[Span]:
    """The spans within [start, end) when the device was not online.

    ``transitions`` are (time, online) in time order, including the last one before ``start``.
    """
    spans: list[Span] = []
    online, since = False, start
    for at, now_online in transitions:
        if at >= end:
            break
        at = max(at, start)
        if online and not now_online:
            since = at
        elif not online and now_online and at > since:
            spans.append((since, at))
        online = now_online
    if not online and since < end:
        spans.append((since, end))
    return spans


def intact_days(days: Iterable[Day], bad: Sequence[Span]) -> dict[date, bool]:
    """For each day, whether no bad span (offline, fault open, recording gap) touches it."""
    return {d.day: not any(s < d.end and e > d.start for s, e in bad) for d in days}


@dataclass(frozen=True, slots=True)
class DayRate:
    """One local day of a group: its camera-days and how many were intact (a trend point)."""

    day: date
    camera_days: int
    intact: int

    @property
    def rate(self) -> float:
        return self.intact / self.camera_days if self.camera_days else 0.0


@dataclass(frozen=True, slots=True)
class GroupRate:
    """One group's camera-days and intact share against its target, and the same per day."""

    group: str
    channels: int
    camera_days: int
    intact: int
    target: float
    daily: tuple[DayRate, ...] = ()

    @property
    def rate(self) -> float:
        return self.intact / self.camera_days if self.camera_days else 0.0

    @property
    def met(self) -> bool:
        return self.camera_days > 0 and self.rate >= self.target


def rate_by_group(
    per_channel: dict[str, dict[date, bool]], group_of: dict[str, str], key_area: set[str]
) -> list[GroupRate]:
    """Intact share per group; a group's target is 98 % when all its channels watch key areas
    (``key_area`` holds their IDs), 95 % otherwise."""
    members: dict[str, list[str]] = {}
    for channel in per_channel:
        members.setdefault(group_of[channel], []).append(channel)
    rates = []
    for group, channels in sorted(members.items()):
        days = [ok for c in channels for ok in per_channel[c].values()]
        target = KEY_AREA_TARGET if all(c in key_area for c in channels) else OTHER_TARGET
        daily = _daily([per_channel[c] for c in channels])
        rates.append(GroupRate(group, len(channels), len(days), sum(days), target, daily))
    return rates


def _daily(channels: Sequence[dict[date, bool]]) -> tuple[DayRate, ...]:
    """Per day, the group's camera-days and intact ones (every channel has the same days)."""
    if not channels:
        return ()
    return tuple(DayRate(day, len(channels), sum(c[day] for c in channels)) for day in channels[0])
