"""Banned places in a camera's picture: which columns of the picture look at a place the law
forbids filming (hotel rooms, toilets, changing rooms, …).

The camera's footprint is the coverage code's (``footprint.py``): the field-of-view sector out to
the reach the caller built the ``Camera`` with, less buildings and their shadows when
``obstacles`` are given. The banned check builds it at the *detection* density level, the
farthest reach at which the camera still films a person. Where that footprint overlaps a place,
each point of the overlap is mapped to a picture column as a rectilinear (distortion-free) lens
maps it: with δ the point's bearing from the camera less the camera's heading (both clockwise from
north, so δ > 0 is to the right of the view), the column is x = 0.5 + tan δ / (2·tan(fov/2)),
0 the picture's left edge and 1 its right edge, clamped to 0–1. The overlap's columns are the
least and greatest x of its outline, densified to points 1 % of the reach apart (along a straight
edge the bearing runs one way, so the corners already hold the extremes; the points are a margin
against outlines that are not what they seem). A view of 180° or more has no rectilinear picture:
any overlap counts as the whole width.

Only the horizontal extent is computed: what rows of the picture a place fills depends on the
mounting and the place's height, which the layers do not hold, so a mask meant to hide it must
span the picture's full height between these columns.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from vigil.coverage.footprint import Camera, Obstacles, sector

__all__ = ["MIN_OVERLAP_M2", "BannedOverlap", "banned_in_view", "picture_columns"]

#: An overlap smaller than this (m²) is rounding where outlines touch, not a place in view.
MIN_OVERLAP_M2 = 1e-6
#: The outline is densified to points this share of the camera's reach apart (at least 1 cm).
STEP_OF_REACH = 0.01


@dataclass(frozen=True, slots=True)
class BannedOverlap:
    """A banned place a camera's footprint overlaps: the layer feature, and the horizontal extent
    of the picture that looks at it (``columns``: left and right, 0 = left edge, 1 = right)."""

    feature_id: int
    name: str
    columns: tuple[float, float]


def picture_columns(
    camera: Camera, place: BaseGeometry, obstacles: Obstacles | None = None
) -> tuple[float, float] | None:
    """Where across the picture (left, right; 0–1) ``camera``'s footprint overlaps ``place``,
    both on the local plane in metres; None when they do not overlap. ``obstacles``: buildings
    that cut the footprint (none when not given)."""
    return _overlap_columns(camera, _footprint(camera, obstacles), place)


def _footprint(camera: Camera, obstacles: Obstacles | None) -> BaseGeometry:
    return sector(camera) if obstacles is None else obstacles.visible(camera)


def _overlap_columns(
    camera: Camera, footprint: BaseGeometry, place: BaseGeometry
) -> tuple[float, float] | None:
    if footprint.is_empty or not footprint.intersects(place):
        return None
    overlap = footprint.intersection(place)
    if overlap.area < MIN_OVERLAP_M2:
        return None
    if camera.fov >= 180:
        return 0.0, 1.0  # no rectilinear picture this wide: count the whole of it
    step = max(camera.far * STEP_OF_REACH, 0.01)
    points = shapely.get_coordinates(shapely.segmentize(overlap, step))
    dx, dy = points[:, 0] - camera.x, points[:, 1] - camera.y
    away = np.hypot(dx, dy) > 1e-9  # the camera's own position has no bearing
    columns = _columns(camera, np.degrees(np.arctan2(dx[away], dy[away])))
    return float(columns.min()), float(columns.max())


def _columns(camera: Camera, bearings: np.ndarray) -> np.ndarray:
    """The picture column of each bearing (degrees clockwise from north), clamped to 0–1."""
    delta = (bearings - camera.heading + 180.0) % 360.0 - 180.0  # in [−180, 180)
    delta = np.where(delta == -180.0, 180.0, delta)  # (−180, 180]
    half = math.tan(math.radians(camera.fov) / 2)
    # Beyond ±90° tan δ turns back; such a point (rounding at the camera) lies at the side it is on.
    sideways = np.abs(delta) >= 90.0
    x = 0.5 + np.tan(np.radians(np.where(sideways, 0.0, delta))) / (2 * half)
    x = np.where(sideways, np.where(delta > 0, 1.0, 0.0), x)
    return np.clip(x, 0.0, 1.0)


def banned_in_view(
    camera: Camera,
    places: Iterable[tuple[int, str, BaseGeometry]],
    obstacles: Obstacles | None = None,
) -> list[BannedOverlap]:
    """One ``BannedOverlap`` per place (feature ID, name, shape on the plane) the camera's
    footprint overlaps, in the order given."""
    footprint = _footprint(camera, obstacles)
    found = []
    for feature_id, name, shape in places:
        columns = _overlap_columns(camera, footprint, shape)
        if columns is not None:
            found.append(BannedOverlap(feature_id, name, columns))
    return found
