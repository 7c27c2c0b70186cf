"""Zones and lines in normalised coordinates (0..1 of the frame, y down), validated when made.

A zone is a simple polygon: at least three points, inside the frame, not crossing itself, with an
area. A point is in it when it is inside or on its edge (shapely, prepared once).

A line (tripwire) is two distinct points. Its sides are named as NVRs name them: walking along the
line from its first point to its second as drawn on the screen, side A is on the left and side B
on the right (a line drawn left to right has A above it and B below). Whether a point is clearly
on a side is measured in pixels, with a margin, so that a foot point jittering on the line is on
neither side; whether a move crossed the line is a segment intersection, which scaling the axes
does not change, so it is done in normalised coordinates.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import shapely
from shapely.geometry import Polygon

from vigil.analytics.rules.observations import FrameSize, Point
from vigil.errors import Invalid

__all__ = ["Side", "Tripwire", "Zone", "segments_cross"]


class Side(enum.Enum):
    """A side of a line: A on the left walking from its first point to its second, B the right."""

    A = "A"
    B = "B"


def _check_point(point: Sequence[float], what: str) -> Point:
    if len(point) != 2 or not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in point
    ):
        raise Invalid(f"{what} points must be [x, y] pairs, got {point!r}", code="rule.point")
    x, y = float(point[0]), float(point[1])
    if not (0.0 <= x <= 1.0 and 0.0 <= y <= 1.0):
        raise Invalid(
            f"{what} points must lie in the frame (0..1 each), got ({x:g}, {y:g})",
            code="rule.point_outside",
            x=x,
            y=y,
        )
    return (x, y)


@dataclass(frozen=True)
class Zone:
    """A polygon on the picture, in normalised coordinates."""

    points: tuple[Point, ...]
    _polygon: Polygon = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        points = tuple(_check_point(p, "zone") for p in self.points)
        if len(points) < 3:
            raise Invalid(
                f"a zone needs at least 3 points, got {len(points)}",
                code="rule.zone_too_few_points",
                counted=len(points),
                min=3,
            )
        polygon = Polygon(points)
        if not polygon.is_valid:
            reason = shapely.is_valid_reason(polygon)
            raise Invalid(
                f"a zone must not cross itself ({reason})", code="rule.zone_self_intersecting"
            )
        if polygon.area <= 0:
            raise Invalid("a zone must enclose an area", code="rule.zone_empty")
        shapely.prepare(polygon)
        object.__setattr__(self, "points", points)
        object.__setattr__(self, "_polygon", polygon)

    def contains(self, point: Point) -> bool:
        """Whether the point is inside the zone or on its edge."""
        return bool(shapely.intersects_xy(self._polygon, point[0], point[1]))

    def contains_each(self, points: Sequence[Point]) -> list[bool]:
        """:meth:`contains` for each point, in one call (a frame's objects at once)."""
        if not points:
            return []
        xs, ys = zip(*points, strict=True)
        return [bool(v) for v in shapely.intersects_xy(self._polygon, xs, ys)]


def _cross(origin: Point, towards: Point, point: Point) -> float:
    """The z of (towards − origin) × (point − origin): > 0 when ``point`` is on the right of
    origin→towards as seen on a screen whose y axis points down."""
    return (towards[0] - origin[0]) * (point[1] - origin[1]) - (towards[1] - origin[1]) * (
        point[0] - origin[0]
    )


def segments_cross(p: Point, q: Point, a: Point, b: Point) -> bool:
    """Whether segment p–q meets segment a–b (touching counts)."""
    d1, d2 = _cross(a, b, p), _cross(a, b, q)
    d3, d4 = _cross(p, q, a), _cross(p, q, b)
    if ((d1 > 0 and d2 < 0) or (d1 < 0 and d2 > 0)) and (
        (d3 > 0 and d4 < 0) or (d3 < 0 and d4 > 0)
    ):
        return True
    return any(
        cross == 0 and _between(r, s, t)
        for cross, r, s, t in ((d1, a, b, p), (d2, a, b, q), (d3, p, q, a), (d4, p, q, b))
    )


def _between(r: Point, s: Point, t: Point) -> bool:
    """Whether ``t``, collinear with r–s, lies within the segment's bounding box."""
    return min(r[0], s[0]) <= t[0] <= max(r[0], s[0]) and min(r[1], s[1]) <= t[1] <= max(r[1], s[1])


@dataclass(frozen=True)
class Tripwire:
    """A line on the picture from ``start`` to ``end``, in normalised coordinates."""

    start: Point
    end: Point

    def __post_init__(self) -> None:
        start, end = _check_point(self.start, "line"), _check_point(self.end, "line")
        if start == end:
            raise Invalid("a line needs two distinct points", code="rule.line_degenerate")
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)

    def side(self, point: Point, size: FrameSize, margin: float) -> Side | None:
        """The side ``point`` is clearly on: farther from the (unbounded) line than ``margin``
        (a fraction of the frame's shorter side) in pixels; None when nearer."""
        w, h = size
        a = (self.start[0] * w, self.start[1] * h)
        b = (self.end[0] * w, self.end[1] * h)
        distance = _cross(a, b, (point[0] * w, point[1] * h)) / math.dist(a, b)
        limit = margin * min(w, h)
        if distance > limit:
            return Side.B
        if distance < -limit:
            return Side.A
        return None

    def crossed_by(self, p: Point, q: Point) -> bool:
        """Whether a move from ``p`` to ``q`` passes through the drawn segment (not its
        extension)."""
        return segments_cross(p, q, self.start, self.end)
