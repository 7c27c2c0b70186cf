"""The KPI report as data: an organisation's six figures and its children's beside their targets,
its blind spots, and how a figure is written out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from vigil.coverage.kpis import Kpi
from vigil.coverage.results import BlindSpots

__all__ = [
    "KPI_NAMES",
    "KpiReport",
    "Language",
    "OrganisationFigures",
    "percent",
    "points",
    "shortfall",
]

KPI_NAMES = (
    "coverage_rate",
    "road_coverage",
    "intersection_coverage",
    "hd_ratio",
    "networking_rate",
    "intact_rate",
)


class Language(StrEnum):
    """The languages a report is written in."""

    zh = "zh-CN"
    en = "en"


@dataclass(frozen=True, slots=True)
class OrganisationFigures:
    """One organisation's KPI figures in a report."""

    organisation_id: str
    name: str
    figures: dict[str, Kpi]  # KPI_NAMES, in that order
    intact_days: tuple[date, date]  # the local days the intact rate counts


@dataclass(frozen=True, slots=True)
class KpiReport:
    """A whole KPI report: the organisation, its children, and its blind spots."""

    organisation: OrganisationFigures
    start: datetime | None
    end: datetime | None
    children: list[OrganisationFigures]
    blind_spots: BlindSpots


def points(share: float) -> str:
    """A share in percentage points as the console writes it: one decimal, halves rounded up
    (JavaScript's ``toFixed``), so that the page, the PDF and a test agree to the character."""
    return str(Decimal(share * 100).quantize(Decimal("0.1"), ROUND_HALF_UP))


def percent(share: float) -> str:
    """``0.625`` → ``"62.5%"``."""
    return f"{points(share)}%"


def shortfall(kpi: Kpi) -> float | None:
    """How far the value lies below its target (0 when it is met); None without a value."""
    return None if kpi.value is None else max(kpi.target - kpi.value, 0.0)
