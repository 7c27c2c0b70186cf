"""KPIs per administrative area: an ``admin_area`` polygon of the GIS layers inside an organisation.

Within an area, the coverage figures count the parts of key areas, roads and intersections that
lie inside the polygon, seen by every camera of the organisation (a camera across the boundary
sees into it); the catalog figures and the intact rate count the channels positioned inside it.
"""

from __future__ import annotations

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from vigil.coverage.layers import geometry_of
from vigil.errors import NotFound
from vigil.store.models import Channel, GisFeature, LayerKind, Organisation

__all__ = ["admin_area_under", "channels_within"]


async def admin_area_under(session: AsyncSession, org_path: str, area_id: int) -> BaseGeometry:
    """The polygon (WGS-84) of administrative area ``area_id`` filed under the organisation at
    ``org_path`` or below; ``NotFound`` otherwise (an area elsewhere is no business of the
    caller's, whose scope was checked against the organisation)."""
    feature = await session.scalar(
        select(GisFeature)
        .join(Organisation, Organisation.id == GisFeature.organisation_id)
        .where(
            GisFeature.id == area_id,
            GisFeature.kind == LayerKind.admin_area,
            Organisation.path.startswith(org_path, autoescape=True),
        )
    )
    if feature is None:
        raise NotFound(
            f"no administrative area {area_id} under this organisation",
            code="not_found",
            entity="area",
            id=str(area_id),
        )
    return geometry_of(feature)


def channels_within(channels: list[Channel], area: BaseGeometry) -> list[Channel]:
    """The channels whose position lies in the area (boundary included); unplaced ones are not."""
    return [
        c
        for c in channels
        if c.longitude is not None
        and c.latitude is not None
        and area.covers(Point(c.longitude, c.latitude))
    ]
