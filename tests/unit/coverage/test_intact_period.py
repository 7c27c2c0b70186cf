"""The intact-rate KPI's local days from a period of instants, and the target lines."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from vigil.coverage.intact_kpi import local_days
from vigil.coverage.targets import Targets
from vigil.errors import Invalid

ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)  # 10:00 on 3 December in Shanghai


def test_default_is_the_thirty_days_ending_today() -> None:
    # As GET /intact-rate's default: today (so far) is one of the thirty.
    assert local_days(None, None, ZONE, NOW) == (date(2026, 11, 4), date(2026, 12, 3))


def test_a_period_is_widened_to_the_local_days_it_touches() -> None:
    # 16:00 UTC is local midnight: [1 Nov 00:00, 1 Dec 00:00) local is November exactly.
    start = datetime(2026, 10, 31, 16, 0, tzinfo=UTC)
    end = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
    assert local_days(start, end, ZONE, NOW) == (date(2026, 11, 1), date(2026, 11, 30))
    # One minute past local midnight at the end touches 1 December too.
    later = datetime(2026, 11, 30, 16, 1, tzinfo=UTC)
    assert local_days(start, later, ZONE, NOW) == (date(2026, 11, 1), date(2026, 12, 1))


def test_one_side_reaches_thirty_days_from_the_other() -> None:
    start = datetime(2026, 11, 20, 0, 0, tzinfo=ZONE)
    assert local_days(start, None, ZONE, NOW) == (date(2026, 11, 20), date(2026, 12, 3))
    end = datetime(2026, 11, 1, 0, 0, tzinfo=ZONE)
    assert local_days(None, end, ZONE, NOW) == (date(2026, 10, 2), date(2026, 10, 31))


def test_an_empty_period_is_its_first_day() -> None:
    at = datetime(2026, 11, 5, 12, 0, tzinfo=ZONE)
    assert local_days(at, at, ZONE, NOW) == (date(2026, 11, 5), date(2026, 11, 5))


def test_the_ends_of_the_calendar_are_refused() -> None:
    with pytest.raises(Invalid):
        local_days(None, datetime(1, 1, 5, tzinfo=UTC), ZONE, NOW)
    with pytest.raises(Invalid):
        local_days(datetime(1969, 12, 1, tzinfo=UTC), datetime(1969, 12, 2, tzinfo=UTC), ZONE, NOW)


def test_targets_default_and_override() -> None:
    targets = Targets({"intact_rate_industry": 0.9})
    assert targets.intact(all_key_areas=True) == 0.98
    assert targets.intact(all_key_areas=False) == 0.9
    assert targets["coverage_rate"] == 1.0
    with pytest.raises(ValueError, match="unknown KPI 'intact'"):
        Targets({"intact": 0.9})
