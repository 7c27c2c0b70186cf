"""Time-to-repair figures against a hand count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from vigil.health.repair_stats import repair_stats

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def order(unit: str | None, hours: float | None) -> tuple[str | None, datetime, datetime | None]:
    return unit, T0, None if hours is None else T0 + timedelta(hours=hours)


def test_per_unit_mean_median_p90_and_open_orders() -> None:
    rows = [
        order("A", 1), order("A", 2), order("A", 3), order("A", 10), order("A", None),
        order("B", 5), order("B", None),
        order(None, 4),
    ]  # fmt: skip
    units, total = repair_stats(rows)
    assert [u.assignee for u in units] == ["A", "B", None]
    a, b, none = units
    # A: closed 1, 2, 3, 10 h → mean 4; median (2+3)/2 = 2.5; p90 at rank 0.9·3 = 2.7 →
    # 3 + 0.7·(10-3) = 7.9.
    assert (a.count, a.open) == (5, 1)
    assert (a.mean_hours, a.median_hours) == (4.0, 2.5)
    assert a.p90_hours == pytest.approx(7.9)
    assert (b.count, b.open, b.mean_hours, b.median_hours, b.p90_hours) == (2, 1, 5, 5, 5)
    assert (none.count, none.open, none.mean_hours) == (1, 0, 4)
    # All: closed 1, 2, 3, 4, 5, 10 → mean 25/6; median 3.5; p90 at rank 4.5 → 5 + 0.5·5 = 7.5.
    assert (total.count, total.open) == (8, 2)
    assert total.mean_hours == pytest.approx(25 / 6)
    assert total.median_hours == 3.5
    assert total.p90_hours == pytest.approx(7.5)


def test_only_open_orders_have_no_figures() -> None:
    units, total = repair_stats([order("A", None)])
    assert (units[0].count, units[0].open, units[0].mean_hours, units[0].p90_hours) == (
        1, 1, None, None,
    )  # fmt: skip
    assert repair_stats([]) == ([], total.__class__(None, 0, 0, None, None, None))
