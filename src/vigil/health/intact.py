"""Intact rate (完好率): which camera-days were intact, and the share of them per group.

A camera-day is one channel over one local calendar day (in the platform's time zone), counted
only while the channel was on file: from the moment it was filed (entered the catalog, its
``created_at``) and up to now. Days before the filing day are not camera-days; the filing day
counts from the filing on, and today counts as far as it has gone (so today's camera-day can still
turn from intact to not intact before midnight). A camera-day is intact when, over the part of the
day that counts:

* its device was online (the state set by the last ``DeviceStatusEvent`` at or before each moment;
  a device with no event yet counts as offline);
* no picture fault of the channel was open (a fault open at any moment of it spoils it);
* its recording was complete: no ``RecordingGap`` other than ``not-scheduled`` touches it.

Pure functions over plain spans: the service (:mod:`.intact_rate`) loads the rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = [
    "DEFAULT_DAYS",
    "KEY_AREA_TARGET",
    "OTHER_TARGET",
    "Day",
    "DayRate",
    "GroupRate",
    "Span",
    "days_between",
    "default_period",
    "intact_days",
    "offline_spans",
    "rate_by_group",
]

#: The policy's targets: key public areas 98 %, other (industry) sites 95 %.
KEY_AREA_TARGET = 0.98
OTHER_TARGET = 0.95

#: The period when none is asked for: the last 30 local days, today (so far) included.
DEFAULT_DAYS = 30

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


def default_period(zone: ZoneInfo, now: datetime) -> tuple[date, date]:
    """The ``DEFAULT_DAYS`` local days that end with today."""
    today = now.astimezone(zone).date()
    return today - timedelta(days=DEFAULT_DAYS - 1), today


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


def intact_days(
    days: Iterable[Day], bad: Sequence[Span], filed: datetime, now: datetime
) -> dict[date, bool]:
    """For each day that is a camera-day of a channel filed at ``filed`` (it was on file for
    part of the day before ``now``), whether no bad span (offline, fault open, recording gap)
    touches the part of it that counts, ``[max(start, filed), min(end, now))``."""
    out = {}
    for d in days:
        start, end = max(d.start, filed), min(d.end, now)
        if start < end:
            out[d.day] = not any(s < end and e > start for s, e in bad)
    return out


@dataclass(frozen=True, slots=True)
class DayRate:
    """One local day of a group: its camera-days and how many were intact (a trend point)."""

    day: date
    camera_days: int
    intact: int

    @property
    def rate(self) -> float | None:
        """None for a day without camera-days (no channel on file yet, or still to come)."""
        return self.intact / self.camera_days if self.camera_days else None


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
    def rate(self) -> float | None:
        """None without camera-days: there is no share of nothing."""
        return self.intact / self.camera_days if self.camera_days else None

    @property
    def met(self) -> bool:
        return self.rate is not None and self.rate >= self.target


def rate_by_group(
    per_channel: dict[str, dict[date, bool]],
    group_of: dict[str, str],
    key_area: set[str],
    days: Sequence[date],
    targets: tuple[float, float] = (KEY_AREA_TARGET, OTHER_TARGET),
) -> list[GroupRate]:
    """Intact share per group over ``days``, counting only the channels with a camera-day in
    them. A group's target is the first of ``targets`` (key public areas, 98 %) when all its
    channels watch key areas (``key_area`` holds their IDs), the second (95 %) otherwise."""
    members: dict[str, list[str]] = {}
    for channel, counted in per_channel.items():
        if counted:
            members.setdefault(group_of[channel], []).append(channel)
    key_target, other_target = targets
    rates = []
    for group, channels in sorted(members.items()):
        found = [ok for c in channels for ok in per_channel[c].values()]
        target = key_target if all(c in key_area for c in channels) else other_target
        daily = _daily([per_channel[c] for c in channels], days)
        rates.append(GroupRate(group, len(channels), len(found), sum(found), target, daily))
    return rates


def _daily(channels: Sequence[dict[date, bool]], days: Sequence[date]) -> tuple[DayRate, ...]:
    """Per day, the group's camera-days (its channels on file that day) and intact ones."""
    return tuple(
        DayRate(day, sum(day in c for c in channels), sum(c.get(day, False) for c in channels))
        for day in days
    )
