"""Weekly schedules: windows by weekday in a named zone, past midnight, all day."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from vigil.analytics.rules import TimeWindow, WeeklySchedule

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str, zone: ZoneInfo = SHANGHAI) -> float:
    """Epoch seconds of a local time (2026-12-07 is a Monday)."""
    return datetime.fromisoformat(text).replace(tzinfo=zone).timestamp()


def schedule(*windows: TimeWindow, zone: str = "Asia/Shanghai") -> WeeklySchedule:
    return WeeklySchedule(zone, windows)


@pytest.mark.parametrize(
    ("local", "active"),
    [
        ("2026-12-07 07:59", False),
        ("2026-12-07 08:00", True),
        ("2026-12-07 17:59", True),
        ("2026-12-07 18:00", False),
        ("2026-12-12 12:00", False),  # Saturday
    ],
)
def test_a_weekday_window_is_read_in_the_schedules_zone(local: str, active: bool) -> None:
    office = schedule(TimeWindow((0, 1, 2, 3, 4), time(8), time(18)))
    assert office.active(at(local)) is active


def test_the_same_instant_reads_differently_in_another_zone() -> None:
    office = TimeWindow((0,), time(8), time(18))
    instant = at("2026-12-07 09:00")  # 01:00 UTC
    assert schedule(office).active(instant)
    assert not schedule(office, zone="UTC").active(instant)


@pytest.mark.parametrize(
    ("local", "active"),
    [
        ("2026-12-11 21:59", False),  # Friday evening
        ("2026-12-11 22:00", True),
        ("2026-12-12 05:59", True),  # Saturday early: Friday's night still
        ("2026-12-12 06:00", False),
        ("2026-12-12 23:00", False),  # Saturday night: no window starts on Saturday
    ],
)
def test_a_window_ending_before_it_starts_runs_past_midnight(local: str, active: bool) -> None:
    friday_night = schedule(TimeWindow((4,), time(22), time(6)))
    assert friday_night.active(at(local)) is active


def test_a_window_ending_when_it_starts_lasts_a_day() -> None:
    sunday = schedule(TimeWindow((6,), time(0), time(0)))
    assert sunday.active(at("2026-12-13 00:00"))
    assert sunday.active(at("2026-12-13 23:59"))
    assert not sunday.active(at("2026-12-14 00:00"))


def test_a_schedule_round_trips_and_keeps_days_sorted_and_unique() -> None:
    window = TimeWindow((4, 0, 4), time(8), time(0))
    assert window.days == (0, 4)
    raw = schedule(window).as_dict()
    assert raw == {"zone": "Asia/Shanghai",
                   "windows": [{"days": [0, 4], "start": "08:00", "end": "00:00"}]}  # fmt: skip
    assert WeeklySchedule.parse(raw) == schedule(window)
    assert TimeWindow.parse({"days": [1], "start": "08:00", "end": "24:00"}).end == time(0)
