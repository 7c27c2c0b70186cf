"""A camera's footprint on the ground: the field-of-view sector it resolves, less what is hidden.

The reach of a camera is where it still puts enough pixels on a metre of scene width for the task.
IEC 62676-4:2014 (video surveillance systems, application guidelines) names the levels and their
minimum horizontal pixel densities, which this module uses:

| level | px/m | what an operator can do |
| --- | --- | --- |
| detection | 25 | tell that a person is there |
| observation | 62.5 | see what a person or group is doing |
| recognition | 125 | recognise a known person |
| identification | 250 | identify an unknown person beyond reasonable doubt |

At distance d a camera of horizontal field of view θ sees a scene 2·d·tan(θ/2) wide, spread over
its horizontal pixels P, so the level is met up to d = P / (density × 2·tan(θ/2)). That is a
slant distance: for a camera mounted at height h the ground reach is √(d² − h²), and a known tilt
and vertical field of view narrow the ground band further to where the image frame meets the
ground. Buildings cut the sector by their shadows (``Obstacles``).
"""

from __future__ import annotations

import enum
import itertools
import math
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry

__all__ = [
    "HD_PIXELS",
    "PIXELS_PER_METRE",
    "SD_PIXELS",
    "Camera",
    "DensityLevel",
    "Mount",
    "Obstacles",
    "density_range",
    "ground_band",
    "sector",
]

HD_PIXELS = 1920  # 1080p, the common HD sensor
SD_PIXELS = 704  # D1 / 4CIF, what an analogue camera through an encoder delivers
ARC_STEP_DEG = 1.0  # polygon arcs: area error below 0.01 %


class DensityLevel(enum.StrEnum):
    """How much a camera must resolve (IEC 62676-4): each level asks more pixels per metre."""

    detection = "detection"
    observation = "observation"
    recognition = "recognition"
    identification = "identification"


PIXELS_PER_METRE = {
    DensityLevel.detection: 25.0,
    DensityLevel.observation: 62.5,
    DensityLevel.recognition: 125.0,
    DensityLevel.identification: 250.0,
}


def density_range(horizontal_pixels: int, fov_deg: float, level: DensityLevel) -> float:
    """How far (slant metres) a camera meets ``level``; 0 for a field of view of 180° or more."""
    if not 0 < fov_deg < 180:
        return 0.0
    width_per_metre = 2 * math.tan(math.radians(fov_deg) / 2)
    return horizontal_pixels / (PIXELS_PER_METRE[level] * width_per_metre)


@dataclass(frozen=True, slots=True)
class Mount:
    """Height above the ground (m), tilt below the horizon and vertical field of view (degrees)."""

    height: float
    tilt: float
    vertical_fov: float

    @classmethod
    def widescreen(cls, height: float, tilt: float, fov_deg: float) -> Mount:
        """A 16:9 image: the vertical field of view follows from the horizontal one."""
        vertical = 2 * math.degrees(math.atan(math.tan(math.radians(fov_deg) / 2) * 9 / 16))
        return cls(height, tilt, vertical)


def ground_band(slant_range: float, mount: Mount | None) -> tuple[float, float]:
    """The near and far ground distances (m) a camera covers; near == far when it covers none."""
    if mount is None:
        return 0.0, slant_range
    h = mount.height
    reach = math.sqrt(max(slant_range**2 - h**2, 0.0))
    lower = math.radians(mount.tilt + mount.vertical_fov / 2)  # bottom edge of the image
    upper = math.radians(mount.tilt - mount.vertical_fov / 2)  # top edge of the image
    near = h / math.tan(lower) if lower < math.pi / 2 else 0.0
    far = min(reach, h / math.tan(upper)) if upper > 0 else reach
    return (near, far) if near < far else (far, far)


@dataclass(frozen=True, slots=True)
class Camera:
    """A camera on the local plane: position (m), heading clockwise from north, field of view."""

    x: float
    y: float
    heading: float
    fov: float
    far: float
    near: float = 0.0


def _arc(camera: Camera, radius: float, reverse: bool = False) -> list[tuple[float, float]]:
    span = min(camera.fov, 360.0)
    steps = max(1, math.ceil(span / ARC_STEP_DEG))
    bearings = np.radians(camera.heading - span / 2 + np.arange(steps + 1) * (span / steps))
    if reverse:
        bearings = bearings[::-1]
    xs = camera.x + radius * np.sin(bearings)
    ys = camera.y + radius * np.cos(bearings)
    return list(zip(xs.tolist(), ys.tolist(), strict=True))


def sector(camera: Camera) -> Polygon:
    """The field-of-view sector between the near and far ground distances (empty if none)."""
    if camera.far <= camera.near or camera.fov <= 0:
        return Polygon()
    if camera.fov >= 360:
        hole = [_arc(camera, camera.near)] if camera.near > 0 else []
        return Polygon(_arc(camera, camera.far), hole)
    inner = _arc(camera, camera.near, reverse=True) if camera.near > 0 else [(camera.x, camera.y)]
    return Polygon(_arc(camera, camera.far) + inner)


class Obstacles:
    """Building outlines on the local plane; what each camera cannot see behind them."""

    def __init__(self, buildings: list[BaseGeometry]) -> None:
        self._buildings = buildings
        self._tree = shapely.STRtree(buildings)

    def visible(self, camera: Camera) -> BaseGeometry:
        """The camera's sector less the buildings and their shadows (the visibility polygon)."""
        area = sector(camera)
        shade = self.shade(camera)
        return area if shade is None else area.difference(shade)

    def shade(self, camera: Camera) -> BaseGeometry | None:
        """The buildings within the camera's sector and their shadows; None when there are none.

        A building that contains the camera is the one it is mounted on and hides nothing.
        """
        area = sector(camera)
        if area.is_empty or not self._buildings:
            return None
        origin = Point(camera.x, camera.y)
        hiding = [
            self._buildings[i]
            for i in self._tree.query(area, predicate="intersects")
            if not self._buildings[i].contains(origin)
        ]
        if not hiding:
            return None
        shadows = [_shadow(b, camera.x, camera.y, camera.far) for b in hiding]
        return shapely.union_all([*hiding, *shadows])


def _shadow(building: BaseGeometry, ox: float, oy: float, far: float) -> BaseGeometry:
    """Everything behind ``building`` seen from (ox, oy), out to at least ``far`` metres.

    Each outline edge a→b casts the region between the rays from the origin through a and b,
    beyond the edge; the union over edges is the shadow. The far side follows the rays in steps
    of at most 90°, so even an edge seen across a wide angle is extended past ``far``.
    """
    pieces = []
    for ring in shapely.get_rings(building):
        for (ax, ay), (bx, by) in itertools.pairwise(ring.coords):
            ta, tb = math.atan2(ax - ox, ay - oy), math.atan2(bx - ox, by - oy)
            sweep = (tb - ta + math.pi) % (2 * math.pi) - math.pi
            if abs(sweep) < 1e-12:
                continue  # the edge points at the camera and hides nothing
            steps = math.ceil(abs(sweep) / (math.pi / 2))
            angles = [tb - sweep * k / steps for k in range(steps + 1)]
            out = 2 * max(far, math.hypot(ax - ox, ay - oy), math.hypot(bx - ox, by - oy))
            reach = [(ox + out * math.sin(t), oy + out * math.cos(t)) for t in angles]
            pieces.append(Polygon([(ax, ay), (bx, by), *reach]))
    return shapely.union_all(pieces)
