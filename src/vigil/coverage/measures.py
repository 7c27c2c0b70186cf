"""What the union of camera footprints sees of key areas, roads and intersections (local metres).

Definitions (docs/coverage.md states them for readers of the KPIs):

- **area share**: area of (union of key areas ∩ seen) over the area of the union of key areas;
- **length share**: length of (roads ∩ seen) over the length of the roads;
- **intersection seen**: its centre zone (a disc of ``centre_radius``) has at least ``seen_share``
  of its area seen, and so has every approach (the first ``approach_length`` metres of each road
  leaving the centre, roads within ``centre_radius`` of it) of its length. A road that passes
  through gives two approaches, one that ends there one; a stub shorter than ``centre_radius``
  lies inside the centre zone and is no approach.
"""

from __future__ import annotations

from dataclasses import dataclass

import shapely
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import substring

__all__ = [
    "IntersectionRule",
    "IntersectionView",
    "approaches",
    "area_share",
    "length_share",
    "view_intersection",
]


@dataclass(frozen=True, slots=True)
class IntersectionRule:
    """How much of an intersection must be seen to count: centre disc, approach length, share."""

    centre_radius: float = 15.0
    approach_length: float = 30.0
    seen_share: float = 0.9


@dataclass(frozen=True, slots=True)
class IntersectionView:
    """How much of one intersection the cameras see: its centre, and its approaches."""

    centre_seen: bool
    approaches: int
    approaches_seen: int

    @property
    def counted(self) -> bool:
        return self.centre_seen and self.approaches > 0 and self.approaches_seen == self.approaches

    @property
    def missing(self) -> int:
        """Parts not seen: each unseen approach, and the centre zone."""
        return self.approaches - self.approaches_seen + (not self.centre_seen)


def area_share(areas: list[BaseGeometry], seen: BaseGeometry) -> float | None:
    """Share of the areas' union that is seen; None when there is no area."""
    union = shapely.union_all(areas)
    if union.area <= 0:
        return None
    return float(union.intersection(seen).area / union.area)


def length_share(lines: list[BaseGeometry], seen: BaseGeometry) -> float | None:
    """Share of the lines' total length that is seen; None when there is no line."""
    total = sum(line.length for line in lines)
    if total <= 0:
        return None
    return float(sum(line.intersection(seen).length for line in lines) / total)


def approaches(
    centre: Point, roads: list[BaseGeometry], rule: IntersectionRule
) -> list[LineString]:
    """The first ``approach_length`` metres of each road leaving the intersection."""
    found: list[LineString] = []
    for road in roads:
        for part in shapely.get_parts(road):
            if part.distance(centre) > rule.centre_radius:
                continue
            at = part.project(centre)
            pieces = [
                substring(part, at, max(at - rule.approach_length, 0.0)),
                substring(part, at, min(at + rule.approach_length, part.length)),
            ]
            found.extend(p for p in pieces if p.length >= rule.centre_radius)
    return found


def view_intersection(
    centre: Point, roads: list[BaseGeometry], seen: BaseGeometry, rule: IntersectionRule
) -> IntersectionView:
    zone = centre.buffer(rule.centre_radius)
    centre_seen = zone.intersection(seen).area >= rule.seen_share * zone.area
    legs = approaches(centre, roads, rule)
    seen_legs = sum(leg.intersection(seen).length >= rule.seen_share * leg.length for leg in legs)
    return IntersectionView(centre_seen, len(legs), seen_legs)
