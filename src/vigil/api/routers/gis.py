"""GIS layers: import a GeoJSON FeatureCollection into a layer, export a layer as one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from vigil.api.deps import CurrentCaller, CurrentPrincipal
from vigil.api.schemas.from_attrs import from_attrs
from vigil.api.schemas.gis import (
    FeatureCollectionIn,
    FeatureCollectionOut,
    FeatureOut,
    FeatureOutProperties,
    ImportResult,
)
from vigil.api.services import Gis
from vigil.coverage.crs import CoordinateSystem
from vigil.coverage.layers import LayerFeature, LayerKind

router = APIRouter(prefix="/gis", tags=["gis"])

OrgQuery = Annotated[str | None, Query(pattern=r"^[0-9]{1,20}$", description="Organisation ID")]


@router.post("/layers/{kind}", response_model=ImportResult, status_code=status.HTTP_201_CREATED)
async def import_layer(
    kind: LayerKind,
    body: FeatureCollectionIn,
    caller: CurrentCaller,
    gis: Gis,
    organisation_id: OrgQuery = None,
    crs: Annotated[
        CoordinateSystem, Query(description="Coordinate system of the file")
    ] = CoordinateSystem.wgs84,
    replace: Annotated[
        bool, Query(description="First remove this organisation's features of the layer")
    ] = False,
) -> ImportResult:
    features = [
        LayerFeature(
            geometry=f.geometry.model_dump(),
            name=f.properties.name if f.properties else None,
            category=f.properties.category if f.properties else None,
        )
        for f in body.features
    ]
    count = await gis.import_features(caller, kind, features, crs, organisation_id, replace)
    return ImportResult(imported=count)


@router.get("/layers/{kind}", response_model=FeatureCollectionOut)
async def export_layer(
    kind: LayerKind, principal: CurrentPrincipal, gis: Gis, organisation_id: OrgQuery = None
) -> FeatureCollectionOut:
    rows = await gis.export(principal, kind, organisation_id)
    return FeatureCollectionOut(
        features=[
            FeatureOut(
                id=row.id,
                geometry=geometry,
                properties=from_attrs(FeatureOutProperties, row),
            )
            for row, geometry in rows
        ]
    )
