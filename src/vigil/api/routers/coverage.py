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
        name: KpiValue(
            value=k.value,
            reason=k.reason,
            reason_code=k.reason_code,
            reason_params=dict(k.reason_params),
            target=k.target,
        )
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
            AreaGapOut(
                id=a.feature_id,
                name=a.name,
                category=a.category,
                area_m2=a.area_m2,
                uncovered_m2=a.uncovered_m2,
                uncovered_share=a.uncovered_m2 / a.area_m2,
                uncovered=a.uncovered,
            )
            for a in spots.key_areas
        ],
        intersections=[
            IntersectionGapOut(
                id=i.feature_id,
                name=i.name,
                longitude=i.longitude,
                latitude=i.latitude,
                centre_seen=i.centre_seen,
                approaches=i.approaches,
                approaches_seen=i.approaches_seen,
            )
            for i in spots.intersections
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
                properties=FootprintProperties(
                    channel_id=f.channel_id,
                    name=f.name,
                    hd=f.hd,
                    hd_basis=f.hd_basis,
                    pixels=f.pixels,
                    near_m=f.near_m,
                    far_m=f.far_m,
                    area_m2=f.area_m2,
                ),
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
    return PlacementOut(
        area_m2=advice.area_m2,
        covered_before=advice.covered_before_m2 / advice.area_m2,
        covered_after=(advice.covered_before_m2 + gained) / advice.area_m2,
        cameras=[
            PlacedCameraOut(
                longitude=c.longitude,
                latitude=c.latitude,
                heading=c.heading,
                fov=c.fov,
                range_m=c.range_m,
                gain_m2=c.gain_m2,
                gain=c.gain_m2 / advice.area_m2,
            )
            for c in advice.cameras
        ],
        candidates=advice.candidates,
        demand_points=advice.demand_points,
        objective_m2=advice.objective_m2,
        greedy_objective_m2=advice.greedy_objective_m2,
        status=advice.status,
        seconds=advice.seconds,
    )
