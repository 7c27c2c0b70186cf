"""The banned-place check of one channel, as the coverage service runs it: its camera on a plane
around it, every banned place in the store within its reach, the buildings there as obstacles.

A system check: it takes no principal and reads the banned places filed under every organisation
(and none), since the law forbids filming them whoever filed them and whoever asks. A channel
without position, heading or field of view cannot be checked and yields no overlap; neither does
a channel that is not on file.
"""

from __future__ import annotations

import asyncio

import shapely
from shapely.geometry.base import BaseGeometry

from vigil.coverage.banned import BannedOverlap, banned_in_view
from vigil.coverage.district import camera_of
from vigil.coverage.footprint import DensityLevel, Obstacles, sector
from vigil.coverage.projection import LocalPlane
from vigil.store.database import Database
from vigil.store.models import GisFeature, LayerKind
from vigil.store.queries.banned_places import channel_and_width, features_of_kinds

__all__ = ["LEVEL", "banned_overlaps_of"]

#: The footprint the check uses: out to where the camera still tells that a person is there.
LEVEL = DensityLevel.detection

BANNED = frozenset({LayerKind.banned_place})
BUILDINGS = frozenset({LayerKind.building})


async def banned_overlaps_of(db: Database, channel_id: str) -> list[BannedOverlap]:
    """One ``BannedOverlap`` per banned place the channel's footprint overlaps, by feature ID;
    empty for a channel not on file or not placed (position, heading, field of view)."""
    found = await channel_and_width(db, channel_id)
    if found is None:
        return []
    channel, width = found
    if channel.longitude is None or channel.latitude is None:
        return []
    plane = LocalPlane(channel.longitude, channel.latitude)
    camera = camera_of(channel, plane, LEVEL, width)
    if camera is None:
        return []
    banned = await features_of_kinds(db, BANNED)
    if not banned:
        return []
    box = plane.inverse(sector(camera)).envelope
    near = await asyncio.to_thread(_within, banned, box, plane)
    if not near:
        return []
    buildings = await features_of_kinds(db, BUILDINGS)

    def compute() -> list[BannedOverlap]:
        obstacles = Obstacles([shape for _, shape in _within(buildings, box, plane)])
        places = [(f.id, f.name, shape) for f, shape in near]
        return banned_in_view(camera, places, obstacles)

    return await asyncio.to_thread(compute)


def _within(
    features: list[GisFeature], box: BaseGeometry, plane: LocalPlane
) -> list[tuple[GisFeature, BaseGeometry]]:
    """The features whose geometry (WGS-84) meets ``box``, each with its shape on the plane."""
    if box.is_empty or not features:
        return []
    shapes = shapely.from_geojson([f.geometry for f in features])
    meets = shapely.intersects(shapes, box)
    return [(f, plane.forward(s)) for f, s, m in zip(features, shapes, meets, strict=True) if m]
