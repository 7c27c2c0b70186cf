"""Privacy masks as values: a polygon on the picture, its checks, and whether masks cover a
stretch of the picture.

Points are picture coordinates normalised to 0–1 (``(0, 0)`` top-left, ``(1, 1)`` bottom-right),
so one mask holds for every stream size of a channel. A mask is a simple polygon of 3 to
:data:`MAX_POINTS` points with some area; a channel has at most :data:`MAX_MASKS`.

:func:`uncovered` answers the banned-places rule: a camera whose footprint overlaps a place the
law forbids filming looks at it through a band of picture columns (``vigil.coverage``'s
``BannedOverlap.columns``), top to bottom; the channel may go live only once permanent masks
cover that whole band.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import shapely
from shapely.geometry import Polygon, box

from vigil.errors import Invalid

__all__ = [
    "COVER_TOLERANCE",
    "MAX_MASKS",
    "MAX_POINTS",
    "MaskPolygon",
    "checked_masks",
    "uncovered",
]

MAX_POINTS = 64
MAX_MASKS = 32
COVER_TOLERANCE = 1e-4
"""Uncovered area (in picture fractions) still counted as covered: 0.01 % of the picture,
far below a pixel row of a band on a D1 picture."""

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class MaskPolygon:
    """One mask: a label, its points, whether an unmask may lift it, the preset it belongs to."""

    label: str
    points: tuple[Point, ...]
    permanent: bool = False
    preset: int | None = None

    def polygon(self) -> Polygon:
        return Polygon(self.points)


def _checked_point(point: Sequence[float], where: str) -> Point:
    if len(point) != 2:
        raise Invalid(f"{where}: a point is [x, y]", code="mask.invalid")
    x, y = float(point[0]), float(point[1])
    if not (math.isfinite(x) and math.isfinite(y) and 0.0 <= x <= 1.0 and 0.0 <= y <= 1.0):
        raise Invalid(
            f"{where}: points are picture fractions from 0 to 1, got [{x:g}, {y:g}]",
            code="mask.invalid",
        )
    return (x, y)


def _checked(mask: MaskPolygon, index: int) -> MaskPolygon:
    where = f"mask {index + 1}"
    label = mask.label.strip()
    if not 1 <= len(label) <= 64:
        raise Invalid(f"{where}: a label of 1 to 64 characters is needed", code="mask.invalid")
    if not 3 <= len(mask.points) <= MAX_POINTS:
        raise Invalid(
            f"{where}: a mask has 3 to {MAX_POINTS} points, not {len(mask.points)}",
            code="mask.invalid",
        )
    points = tuple(_checked_point(p, where) for p in mask.points)
    polygon = Polygon(points)
    if not polygon.is_valid or polygon.area <= 0:
        raise Invalid(
            f"{where}: the outline crosses itself or encloses nothing", code="mask.invalid"
        )
    if mask.preset is not None and not 0 <= mask.preset <= 255:
        raise Invalid(f"{where}: presets are numbered 0 to 255", code="mask.invalid")
    return MaskPolygon(label, points, mask.permanent, mask.preset)


def checked_masks(masks: Sequence[MaskPolygon]) -> tuple[MaskPolygon, ...]:
    """``masks`` with labels trimmed, or Invalid naming the first mask that breaks a rule."""
    if len(masks) > MAX_MASKS:
        raise Invalid(f"a channel has at most {MAX_MASKS} masks", code="mask.invalid")
    return tuple(_checked(mask, i) for i, mask in enumerate(masks))


def uncovered(columns: tuple[float, float], masks: Sequence[MaskPolygon]) -> float:
    """How much of the band ``columns`` (left, right; full height) no mask covers, as a
    fraction of the picture's area; at most :data:`COVER_TOLERANCE` counts as covered."""
    left, right = sorted(columns)
    band = box(left, 0.0, max(right, left + 1e-9), 1.0)
    if not masks:
        return float(band.area)
    union = shapely.union_all([m.polygon() for m in masks])
    return float(band.difference(union).area)
