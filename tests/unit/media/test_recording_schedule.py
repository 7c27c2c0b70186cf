"""Weekly plans in the platform's zone: windows, windows past midnight, continuous and off."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from vigil.errors import Invalid
from vigil.media.recording.schedule import PlanMode, RecordingSchedule

SHANGHAI, UTC_ZONE = ZoneInfo("Asia/Shanghai"), ZoneInfo("UTC")


def at(text: str) -> float:
    return datetime.fromisoformat(text).astimezone(UTC).timestamp()


def plan(*windows: tuple[int, str, str]) -> RecordingSchedule:
    return RecordingSchedule.parse(
        "scheduled", [{"weekday": d, "start": s, "end": e} for d, s, e in windows]
    )


def test_window_is_local_time_of_the_configured_zone() -> None:
    weekday_mornings = plan(*((day, "08:00", "12:00") for day in range(5)))
    # Monday 2025-10-06 08:30 in Shanghai is Monday 00:30 UTC.
    assert weekday_mornings.active(at("2025-10-06T00:30:00+00:00"), SHANGHAI)
    assert not weekday_mornings.active(at("2025-10-06T00:30:00+00:00"), UTC_ZONE)
    assert weekday_mornings.active(at("2025-10-06T08:30:00+00:00"), UTC_ZONE)
    # Saturday is not in the plan in either zone.
    assert not weekday_mornings.active(at("2025-10-11T09:00:00+08:00"), SHANGHAI)


def test_end_is_exclusive_and_start_inclusive() -> None:
    morning = plan((0, "08:00", "12:00"))
    assert morning.active(at("2025-10-06T08:00:00+08:00"), SHANGHAI)
    assert not morning.active(at("2025-10-06T12:00:00+08:00"), SHANGHAI)
    assert not morning.active(at("2025-10-06T07:59:59+08:00"), SHANGHAI)


def test_window_past_midnight_covers_the_next_morning() -> None:
    friday_night = plan((4, "22:00", "06:00"))
    assert friday_night.active(at("2025-10-10T23:00:00+08:00"), SHANGHAI)  # Friday
    assert friday_night.active(at("2025-10-11T05:59:00+08:00"), SHANGHAI)  # Saturday morning
    assert not friday_night.active(at("2025-10-11T06:00:00+08:00"), SHANGHAI)
    assert not friday_night.active(at("2025-10-10T05:00:00+08:00"), SHANGHAI)  # Friday morning
    # Sunday night into Monday wraps the week.
    sunday_night = plan((6, "23:00", "01:00"))
    assert sunday_night.active(at("2025-10-13T00:30:00+08:00"), SHANGHAI)


def test_24_00_and_whole_day_windows() -> None:
    assert plan((0, "08:00", "24:00")).active(at("2025-10-06T23:59:00+08:00"), SHANGHAI)
    whole = plan((0, "00:00", "00:00"))
    assert whole.active(at("2025-10-06T00:00:00+08:00"), SHANGHAI)
    assert whole.active(at("2025-10-06T23:59:59+08:00"), SHANGHAI)
    assert not whole.active(at("2025-10-07T00:00:00+08:00"), SHANGHAI)


def test_continuous_and_off() -> None:
    moment = at("2025-10-06T03:00:00+08:00")
    assert RecordingSchedule().active(moment, SHANGHAI)
    assert RecordingSchedule(PlanMode.off).active(moment, SHANGHAI) is False


@pytest.mark.parametrize(
    ("mode", "windows", "message"),
    [
        ("sometimes", [], "plan mode"),
        ("scheduled", [{"weekday": 7, "start": "08:00", "end": "09:00"}], "weekday"),
        ("scheduled", [{"weekday": 1, "start": "8h", "end": "09:00"}], "HH:MM"),
        ("scheduled", [{"weekday": 1, "start": "25:00", "end": "09:00"}], "HH:MM"),
    ],
)
def test_bad_plans_are_refused_with_the_reason(
    mode: str, windows: list[dict[str, object]], message: str
) -> None:
    with pytest.raises(Invalid, match=message):
        RecordingSchedule.parse(mode, windows)


def test_next_change_is_the_next_window_edge_in_local_time() -> None:
    morning = plan((0, "08:00", "12:00"))  # Mondays
    # Monday 07:00 in Shanghai: the window opens at 08:00, then closes at 12:00.
    assert morning.next_change(at("2025-10-06T07:00:00+08:00"), SHANGHAI) == at(
        "2025-10-06T08:00:00+08:00"
    )
    assert morning.next_change(at("2025-10-06T08:00:00+08:00"), SHANGHAI) == at(
        "2025-10-06T12:00:00+08:00"
    )
    # After Monday's window: next Monday's opening, a week on.
    assert morning.next_change(at("2025-10-06T12:00:00+08:00"), SHANGHAI) == at(
        "2025-10-13T08:00:00+08:00"
    )
    # The same plan in UTC: the edges move with the zone.
    assert morning.next_change(at("2025-10-06T07:00:00+08:00"), UTC_ZONE) == at(
        "2025-10-06T08:00:00+00:00"
    )


def test_next_change_of_a_window_past_midnight_and_several_windows() -> None:
    friday_night = plan((4, "22:00", "06:00"))
    # Saturday 01:00 is inside Friday's window: it closes at 06:00 on Saturday.
    assert friday_night.next_change(at("2025-10-11T01:00:00+08:00"), SHANGHAI) == at(
        "2025-10-11T06:00:00+08:00"
    )
    both = plan((4, "22:00", "06:00"), (2, "09:00", "10:00"))
    # Tuesday: Wednesday's 09:00 comes before Friday's 22:00.
    assert both.next_change(at("2025-10-07T12:00:00+08:00"), SHANGHAI) == at(
        "2025-10-08T09:00:00+08:00"
    )


def test_continuous_off_and_empty_plans_never_change() -> None:
    moment = at("2025-10-06T03:00:00+08:00")
    assert RecordingSchedule().next_change(moment, SHANGHAI) is None
    assert RecordingSchedule(PlanMode.off).next_change(moment, SHANGHAI) is None
    assert RecordingSchedule(PlanMode.scheduled).next_change(moment, SHANGHAI) is None
