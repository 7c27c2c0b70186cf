"""A district in memory: its layers and cameras on one local plane, and what the cameras see.

Built from store rows (GIS features, channels) once per request; everything after is pure
geometry in metres.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from vigil.coverage.footprint import (
    HD_PIXELS,
    SD_PIXELS,
    Camera,
    DensityLevel,
    Mount,
    Obstacles,
    density_range,
    ground_band,
)
from vigil.coverage.layers import geometry_of
from vigil.coverage.measures import IntersectionRule
from vigil.coverage.projection import LocalPlane
from vigil.store.models import Channel, GisFeature, LayerKind

__all__ = ["MEASURED", "CoverageRule", "District", "Place", "camera_of"]

#: The layers whose coverage is measured (cut to an area when KPIs are asked for one).
MEASURED = frozenset({LayerKind.key_area, LayerKind.road, LayerKind.intersection})


@dataclass(frozen=True, slots=True)
class CoverageRule:
    """What "seen" means: the pixel density required and the intersection rule."""

    level: DensityLevel = DensityLevel.observation
    intersection: IntersectionRule = field(default_factory=IntersectionRule)


@dataclass(frozen=True, slots=True)
class Place:
    """A layer feature on the local plane."""

    feature: GisFeature
    shape: BaseGeometry


def camera_of(
    channel: Channel, plane: LocalPlane, level: DensityLevel, pixels: int | None = None
) -> Camera | None:
    """The channel as a camera on the plane; None without position, heading or field of view.

    ``pixels``: the horizontal pixels of its stream where seen; else what its catalog flag says
    (``HD_PIXELS`` for HD, ``SD_PIXELS`` otherwise).
    """
    lon, lat, heading, fov = channel.longitude, channel.latitude, channel.heading, channel.fov
    if lon is None or lat is None or heading is None or fov is None:
        return None
    if pixels is None:
        pixels = HD_PIXELS if channel.hd else SD_PIXELS
    slant = density_range(pixels, fov, level)
    mount = None
    if channel.mount_height is not None and channel.tilt is not None:
        mount = Mount.widescreen(channel.mount_height, channel.tilt, fov)
    near, far = ground_band(slant, mount)
    x, y = plane.to_xy(lon, lat)
    return Camera(x, y, heading, fov, far=far, near=near)


class District:
    """Layers and cameras of one organisation's subtree on a plane centred on them."""

    def __init__(
        self,
        features: list[GisFeature],
        channels: list[Channel],
        rule: CoverageRule,
        plane: LocalPlane | None = None,
        clip: BaseGeometry | None = None,
        pixels: Mapping[str, int] | None = None,
    ) -> None:
        """``plane`` defaults to one centred on the layers. With ``clip`` (a WGS-84 polygon) the
        places coverage is measured on (key areas, roads, intersections) are cut to it; buildings
        still cast their shadows and every camera still looks. ``pixels``: channel ID → the
        horizontal pixels seen in its stream (others reach as their catalog flag says)."""
        self.rule = rule
        self._pixels = dict(pixels or {})
        shapes = [geometry_of(f) for f in features]
        if plane is None:
            # Centred on the layers (kept within ±85° latitude at import); on the cameras when
            # there are none.
            positions = [
                Point(c.longitude, c.latitude)
                for c in channels
                if c.longitude is not None and c.latitude is not None
            ]
            centre_of = shapes or positions
            plane = LocalPlane.around(centre_of) if centre_of else LocalPlane(0.0, 0.0)
        self.plane = plane
        self.layers: dict[LayerKind, list[Place]] = {kind: [] for kind in LayerKind}
        window = None if clip is None else self.plane.forward(clip)
        #: Whole roads: an intersection's approaches run on past the area's boundary.
        self.approach_roads: list[BaseGeometry] = []
        for feature, shape in zip(features, shapes, strict=True):
            place = self.plane.forward(shape)
            if feature.kind is LayerKind.road:
                self.approach_roads.append(place)
            if window is not None and feature.kind in MEASURED:
                place = place.intersection(window)
                if place.is_empty:
                    continue
            self.layers[feature.kind].append(Place(feature, place))
        self.obstacles = Obstacles([p.shape for p in self.layers[LayerKind.building]])
        cameras = (
            (c, camera_of(c, self.plane, rule.level, self._pixels.get(c.id))) for c in channels
        )
        #: Each channel that has a footprint, with its camera on the plane.
        self.placed = [(channel, camera) for channel, camera in cameras if camera is not None]
        self.cameras = [camera for _, camera in self.placed]

    def pixels_of(self, channel: Channel) -> int:
        """The horizontal pixels ``channel``'s reach is computed with."""
        return self._pixels.get(channel.id, HD_PIXELS if channel.hd else SD_PIXELS)

    def shapes(self, kind: LayerKind) -> list[BaseGeometry]:
        return [p.shape for p in self.layers[kind]]

    def footprint(self, camera: Camera) -> BaseGeometry:
        return self.obstacles.visible(camera)

    @cached_property
    def seen(self) -> BaseGeometry:
        """The union of every camera's footprint."""
        return shapely.union_all([self.footprint(c) for c in self.cameras])
