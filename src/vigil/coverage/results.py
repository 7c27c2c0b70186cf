"""What the coverage service answers: KPI reports, blind spots, footprints, placement advice.

Plain frozen values, kept apart from the service that computes them; import them from here
(``vigil.coverage.service`` exports only ``PlacementRequest`` too, the question it is asked).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from vigil.coverage.footprint import DensityLevel
from vigil.coverage.hd import HdBasis, HdCount
from vigil.coverage.kpis import Kpi

__all__ = [
    "AreaGap",
    "BlindSpots",
    "Footprint",
    "IntersectionGap",
    "KpiReport",
    "PlacedCamera",
    "PlacementAdvice",
    "PlacementRequest",
]


@dataclass(frozen=True, slots=True)
class KpiReport:
    """An organisation's KPIs for a period, with the days and channels behind two of them."""

    organisation_id: str
    start: datetime | None
    end: datetime | None
    figures: dict[str, Kpi]
    intact_days: tuple[date, date]  # the local days the intact rate counts
    hd: HdCount  # the HD ratio's channels and the basis each was judged on


@dataclass(frozen=True, slots=True)
class AreaGap:
    """A key area with the part of it no camera sees."""

    feature_id: int
    name: str
    category: str | None
    area_m2: float
    uncovered_m2: float
    uncovered: dict[str, Any]  # GeoJSON, WGS-84


@dataclass(frozen=True, slots=True)
class IntersectionGap:
    """An intersection not fully seen: whether its centre is, and how many approaches."""

    feature_id: int
    name: str
    longitude: float
    latitude: float
    centre_seen: bool
    approaches: int
    approaches_seen: int


@dataclass(frozen=True, slots=True)
class Footprint:
    """What one camera sees: its sector within the density's reach, less building shadows."""

    channel_id: str
    name: str
    hd: bool
    hd_basis: HdBasis
    pixels: int  # horizontal pixels the reach was computed with
    near_m: float
    far_m: float
    area_m2: float
    geometry: dict[str, Any] | None  # GeoJSON, WGS-84; None when it sees nothing


@dataclass(frozen=True, slots=True)
class BlindSpots:
    """The key areas and intersections under an organisation that cameras do not fully see."""

    key_areas: list[AreaGap]
    intersections: list[IntersectionGap]


@dataclass(frozen=True, slots=True)
class PlacementRequest:
    """Where to advise new cameras (area, polygon or organisation), how many, of what kind."""

    count: int
    area_id: int | None = None
    polygon: dict[str, Any] | None = None  # GeoJSON, WGS-84
    organisation_id: str | None = None
    candidates: list[tuple[float, float]] | None = None  # WGS-84 positions
    fov: float = 60.0
    hd: bool = True
    level: DensityLevel = DensityLevel.observation


@dataclass(frozen=True, slots=True)
class PlacedCamera:
    """One advised camera: where, facing where, and the area it adds."""

    longitude: float
    latitude: float
    heading: float
    fov: float
    range_m: float
    gain_m2: float


@dataclass(frozen=True, slots=True)
class PlacementAdvice:
    """The advised cameras for an area, with what they add and how the solver did."""

    area_m2: float
    covered_before_m2: float
    cameras: list[PlacedCamera]
    candidates: int
    demand_points: int
    objective_m2: float
    greedy_objective_m2: float
    status: str
    seconds: float
