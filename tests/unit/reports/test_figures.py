"""Figures are written as the console writes them (JavaScript's ``toFixed(1)``)."""

from __future__ import annotations

import pytest

from vigil.coverage.kpis import Kpi
from vigil.reports.model import percent, shortfall


@pytest.mark.parametrize(
    ("share", "written"),
    [
        (0.625, "62.5%"),
        (0.0, "0.0%"),
        (1.0, "100.0%"),
        (15.36 / 240, "6.4%"),
        # 6.25 exactly: toFixed takes the larger of two equally near, where str.format would
        # round half to even ("6.2").
        (0.0625, "6.3%"),
        (0.98, "98.0%"),
    ],
)
def test_percent_like_the_console(share: float, written: str) -> None:
    assert percent(share) == written


def test_shortfall_is_never_negative_and_none_without_a_value() -> None:
    assert shortfall(Kpi(0.5, 0.98)) == pytest.approx(0.48)
    assert shortfall(Kpi(1.0, 0.98)) == 0.0
    assert shortfall(Kpi(None, 1.0, "no channel on file under this organisation")) is None
