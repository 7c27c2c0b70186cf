"""GIS layers: import GeoJSON features into the store, export them, read a district's layers.

Every feature is filed under an organisation, with the same scope rules as a channel: a caller
imports into and sees only organisations within their scope. Geometry is checked (type for the
layer, coordinate ranges, validity) and stored in WGS-84 whatever system it came in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from vigil.catalog.scope import filed_under, scope_clause
from vigil.catalog.scoped import ScopedCatalog
from vigil.coverage.crs import CoordinateSystem, to_wgs84
from vigil.errors import Invalid
from vigil.governance.audit import AuditLog
from vigil.governance.audited import Caller, as_caller, note
from vigil.governance.permissions import Permission, Principal
from vigil.store.database import Database
from vigil.store.models import GisFeature, LayerKind, Organisation

__all__ = [
    "GEOMETRY_TYPES",
    "GisLayerService",
    "LayerFeature",
    "LayerKind",
    "checked_geometry",
    "features_under",
    "geometry_of",
]

GEOMETRY_TYPES: dict[LayerKind, frozenset[str]] = {
    LayerKind.admin_area: frozenset({"Polygon", "MultiPolygon"}),
    LayerKind.key_area: frozenset({"Polygon", "MultiPolygon"}),
    LayerKind.building: frozenset({"Polygon", "MultiPolygon"}),
    LayerKind.road: frozenset({"LineString", "MultiLineString"}),
    LayerKind.intersection: frozenset({"Point"}),
    LayerKind.banned_place: frozenset({"Polygon", "MultiPolygon"}),
}


@dataclass(frozen=True, slots=True)
class LayerFeature:
    """A feature to import: its GeoJSON geometry and the two properties Vigil keeps."""

    geometry: dict[str, Any]
    name: str | None = None
    category: str | None = None


def geometry_of(feature: GisFeature) -> BaseGeometry:
    return shapely.from_geojson(feature.geometry)


def _check_ranges(where: str, crs: str, geometry: BaseGeometry) -> None:
    minx, miny, maxx, maxy = geometry.bounds
    if geometry.is_empty or not (-180 <= minx <= maxx <= 180 and -85 <= miny <= maxy <= 85):
        raise Invalid(f"{where}: coordinates outside longitude ±180, latitude ±85 ({crs})")


def checked_geometry(
    geojson: dict[str, Any], allowed: frozenset[str], where: str, crs: CoordinateSystem
) -> BaseGeometry:
    """A GeoJSON geometry of an allowed type, in range, valid and 2-D, converted to WGS-84;
    ``Invalid`` naming what is wrong otherwise. (Latitudes beyond ±85° have no use here and
    would break the local plane's metres.)"""
    if geojson.get("type") not in allowed:
        raise Invalid(f"{where}: takes {' or '.join(sorted(allowed))} geometries")
    try:
        geometry = shapely.force_2d(shape(geojson))
    except (ValueError, TypeError, shapely.errors.GEOSException) as exc:
        raise Invalid(f"{where}: not a usable geometry ({exc})") from exc
    _check_ranges(where, crs.value, geometry)
    geometry = to_wgs84(geometry, crs)
    _check_ranges(where, "wgs84", geometry)
    if not geometry.is_valid:
        raise Invalid(f"{where}: invalid geometry ({shapely.is_valid_reason(geometry)})")
    return geometry


async def features_under(
    session: AsyncSession, org_path: str, kinds: frozenset[LayerKind] | None = None
) -> list[GisFeature]:
    """The features filed under the organisation at ``org_path`` and below, by id."""
    query = filed_under(GisFeature, org_path)
    if kinds is not None:
        query = query.where(GisFeature.kind.in_(kinds))
    return list((await session.scalars(query)).all())


class GisLayerService:
    """Imports GeoJSON features into a layer (checked, in WGS-84, audited); exports them."""

    def __init__(self, db: Database, audit: AuditLog) -> None:
        self._db = db
        self._audit = audit

    async def import_features(
        self,
        who: Principal | Caller,
        kind: LayerKind,
        features: list[LayerFeature],
        crs: CoordinateSystem,
        organisation_id: str | None,
        replace: bool = False,
    ) -> int:
        """Add the features to the layer (after removing the organisation's own when
        ``replace``); all or none. Audited as ``gis.import``."""
        caller = as_caller(who)
        principal = caller.principal
        principal.require(Permission.catalog_write)
        allowed = GEOMETRY_TYPES[kind]
        geometries = [
            str(shapely.to_geojson(checked_geometry(f.geometry, allowed, f"feature {i}", crs)))
            for i, f in enumerate(features)
        ]
        async with self._db.session() as session, session.begin():
            await ScopedCatalog.check_org(session, principal, organisation_id)
            if replace:
                await session.execute(
                    delete(GisFeature).where(
                        GisFeature.kind == kind, GisFeature.organisation_id == organisation_id
                    )
                )
            session.add_all(
                GisFeature(
                    kind=kind,
                    name=f.name or f"{kind.value} {i + 1}",
                    category=f.category,
                    organisation_id=organisation_id,
                    geometry=geometry,
                )
                for i, (f, geometry) in enumerate(zip(features, geometries, strict=True))
            )
        await note(
            self._audit,
            caller,
            "gis.import",
            f"gis/layers/{kind.value}",
            detail={
                "features": len(features),
                "crs": crs.value,
                "organisation_id": organisation_id,
                "replace": replace,
            },
        )
        return len(features)

    async def export(
        self, principal: Principal, kind: LayerKind, organisation_id: str | None = None
    ) -> list[tuple[GisFeature, dict[str, Any]]]:
        """The layer's features the caller may see (under ``organisation_id`` when given),
        each with its geometry as a GeoJSON object."""
        principal.require(Permission.catalog_read)
        query = (
            select(GisFeature)
            .outerjoin(Organisation, Organisation.id == GisFeature.organisation_id)
            .where(GisFeature.kind == kind, scope_clause(principal, Organisation.path))
            .order_by(GisFeature.id)
        )
        async with self._db.session() as session:
            if organisation_id is not None:
                path = await ScopedCatalog.org_path(session, organisation_id)
                if path is None:
                    raise Invalid(f"organisation {organisation_id} does not exist")
                query = query.where(Organisation.path.startswith(path, autoescape=True))
            rows = (await session.scalars(query)).all()
        return [(row, json.loads(row.geometry)) for row in rows]
