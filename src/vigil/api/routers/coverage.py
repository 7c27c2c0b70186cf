"""KPIs of the four targets, blind spots and placement advice, per organisation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from vigil.api.deps import CurrentPrincipal, Node
from vigil.api.schemas.common import Instant
from vigil.api.schemas.coverage import (
    AreaGapOut,
    BlindSpotsOut,
    FootprintOut,
    FootprintProperties,
    FootprintsOut,
    HdBasisOut,
    IntersectionGapOut,
    KpiReportOut,
    KpiValue,
    PlacedCameraOut,
    PlacementIn,
    PlacementOut,
)
from vigil.api.schemas.from_attrs import from_attrs
from vigil.api.services import Coverage
from vigil.coverage.service import PlacementRequest

router = APIRouter(tags=["coverage"])

OrgQuery = Annotated[str, Query(pattern=r"^[0-9]{1,20}$", description="Organisation ID")]


@router.get("/kpis", response_model=KpiReportOut)
async def get_kpis(
    principal: CurrentPrincipal,
    coverage: Coverage,
    org: OrgQuery,
    from_: Annotated[Instant | None, Query(alias="from")] = None,
    to: Instant | None = None,
    industry: Annotated[str | None, Query(pattern=r"^[0-9]{2}$")] = None,
    area: Annotated[
        int | None,
        Query(ge=1, le=2**31 - 1, description="An administrative area (GIS layer) under org"),
    ] = None,
) -> KpiReportOut:
    report = await coverage.kpis(principal, org, from_, to, industry, area)
    figures = {
        name: from_attrs(KpiValue, k, reason_params=dict(k.reason_params))
        for name, k in report.figures.items()
    }
    first, last = report.intact_days
    return KpiReportOut(
        organisation_id=org,
        area_id=area,
        industry=industry,
        from_=report.start,
        to=report.end,
        intact_from=first,
        intact_to=last,
        hd_basis=HdBasisOut(stream=report.hd.by_stream, catalog=report.hd.by_catalog),
        **figures,
    )


@router.get("/coverage/blind-spots", response_model=BlindSpotsOut)
async def get_blind_spots(principal: CurrentPrincipal, node: Node, org: OrgQuery) -> BlindSpotsOut:
    spots = await node.coverage.blind_spots(principal, org)
    return BlindSpotsOut(
        organisation_id=org,
        key_areas=[
            from_attrs(AreaGapOut, a, id=a.feature_id, uncovered_share=a.uncovered_m2 / a.area_m2)
            for a in spots.key_areas
        ],
        intersections=[
            from_attrs(IntersectionGapOut, i, id=i.feature_id) for i in spots.intersections
        ],
    )


@router.get("/coverage/footprints", response_model=FootprintsOut)
async def get_footprints(principal: CurrentPrincipal, node: Node, org: OrgQuery) -> FootprintsOut:
    footprints = await node.coverage.footprints(principal, org)
    return FootprintsOut(
        features=[
            FootprintOut(
                id=f.channel_id,
                geometry=f.geometry,
                properties=from_attrs(FootprintProperties, f),
            )
            for f in footprints
        ]
    )


@router.post("/coverage/placement", response_model=PlacementOut)
async def advise_placement(
    body: PlacementIn, principal: CurrentPrincipal, node: Node
) -> PlacementOut:
    request = PlacementRequest(
        count=body.count,
        area_id=body.area_id,
        polygon=body.polygon.model_dump() if body.polygon else None,
        organisation_id=body.organisation_id,
        candidates=list(body.candidates) if body.candidates else None,
        fov=body.fov,
        hd=body.hd,
        level=body.level,
    )
    advice = await node.coverage.placement(principal, request)
    gained = sum(c.gain_m2 for c in advice.cameras)
    return from_attrs(
        PlacementOut,
        advice,
        covered_before=advice.covered_before_m2 / advice.area_m2,
        covered_after=(advice.covered_before_m2 + gained) / advice.area_m2,
        cameras=[
            from_attrs(PlacedCameraOut, c, gain=c.gain_m2 / advice.area_m2) for c in advice.cameras
        ],
    )
