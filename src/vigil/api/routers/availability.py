"""Availability: picture faults with evidence, on-demand diagnosis, work orders, intact rate.

The availability services check permissions and organisation scope; the evidence image is video
access and audited there (``video.snapshot``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from vigil.api.deps import CurrentCaller, CurrentPrincipal, Node
from vigil.api.pagination import decode_cursor, page_of
from vigil.api.schemas.availability import (
    FaultOut,
    FindingOut,
    GroupRateOut,
    IntactRateOut,
    PtzCheckOut,
    RepairReportOut,
    RepairStatsOut,
    RoundOut,
    ThresholdsIn,
    ThresholdsOut,
    WorkOrderOut,
    fault_out,
    order_out,
    thresholds_out,
)
from vigil.api.schemas.common import (
    CursorQuery,
    Day,
    IdPath,
    Instant,
    IntIdPath,
    LimitQuery,
    Page,
)
from vigil.api.schemas.from_attrs import from_attrs
from vigil.api.services import Availability
from vigil.api.stored_files import NO_STORE
from vigil.health.intact_rate import GroupBy

router = APIRouter(tags=["availability"])

ChannelQuery = Annotated[str | None, Query(pattern=r"^[0-9]{1,20}$", description="Channel ID")]
OpenQuery = Annotated[bool | None, Query(description="Only open (true) or closed (false) ones")]
OrgQuery = Annotated[str, Query(pattern=r"^[0-9]{1,20}$", description="Organisation ID")]


@router.get("/faults", response_model=Page[FaultOut])
async def list_faults(
    principal: CurrentPrincipal,
    availability: Availability,
    channel: ChannelQuery = None,
    open: OpenQuery = None,
    limit: LimitQuery = 100,
    cursor: CursorQuery = None,
) -> Page[FaultOut]:
    after = decode_cursor(cursor, int)
    rows = await availability.faults(principal, channel, open, after, limit + 1)
    return page_of(rows, limit, fault_out, lambda f: f.id)


@router.get("/channels/{channel_id}/faults", response_model=Page[FaultOut])
async def channel_faults(
    channel_id: IdPath,
    principal: CurrentPrincipal,
    availability: Availability,
    limit: LimitQuery = 100,
    cursor: CursorQuery = None,
) -> Page[FaultOut]:
    return await list_faults(principal, availability, channel_id, None, limit, cursor)


@router.get(
    "/faults/{fault_id}/evidence",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}}}},
)
async def fault_evidence(
    fault_id: IntIdPath, caller: CurrentCaller, availability: Availability
) -> Response:
    jpeg = await availability.evidence(caller, fault_id)
    return Response(jpeg, media_type="image/jpeg", headers=NO_STORE)


@router.post("/channels/{channel_id}/diagnose", response_model=RoundOut)
async def diagnose(
    channel_id: IdPath, principal: CurrentPrincipal, availability: Availability
) -> RoundOut:
    report = await availability.diagnose(principal, channel_id)
    return RoundOut(
        channel_id=report.channel_id,
        at=report.at,
        findings=[from_attrs(FindingOut, f) for f in report.findings],
        faults=list(report.faults),
        raised=list(report.raised),
        cleared=list(report.cleared),
        open=list(report.open),
    )


@router.get("/channels/{channel_id}/diagnosis-thresholds", response_model=ThresholdsOut)
async def get_thresholds(
    channel_id: IdPath, principal: CurrentPrincipal, availability: Availability
) -> ThresholdsOut:
    return thresholds_out(await availability.channel_thresholds(principal, channel_id))


@router.put("/channels/{channel_id}/diagnosis-thresholds", response_model=ThresholdsOut)
async def put_thresholds(
    channel_id: IdPath,
    body: ThresholdsIn,
    caller: CurrentCaller,
    availability: Availability,
) -> ThresholdsOut:
    found = await availability.set_channel_thresholds(caller, channel_id, body.overrides)
    return thresholds_out(found)


@router.post("/channels/{channel_id}/ptz-check", response_model=PtzCheckOut)
async def ptz_check(
    channel_id: IdPath, principal: CurrentPrincipal, availability: Availability
) -> PtzCheckOut:
    """Move the channel's PTZ a little and back, and judge whether the picture moved."""
    report = await availability.check_ptz(principal, channel_id)
    return PtzCheckOut.model_validate(report, from_attributes=True)


@router.get("/work-orders", response_model=Page[WorkOrderOut])
async def list_work_orders(
    principal: CurrentPrincipal,
    availability: Availability,
    open: OpenQuery = None,
    limit: LimitQuery = 100,
    cursor: CursorQuery = None,
) -> Page[WorkOrderOut]:
    after = decode_cursor(cursor, int)
    rows = await availability.work_orders(principal, open, after, limit + 1)
    return page_of(rows, limit, order_out, lambda o: o.id)


@router.get("/work-orders/stats", response_model=RepairReportOut)
async def work_order_stats(
    principal: CurrentPrincipal,
    availability: Availability,
    from_: Annotated[Instant | None, Query(alias="from")] = None,
    to: Instant | None = None,
) -> RepairReportOut:
    """Time to repair per maintainer unit, of the orders opened in [from, to)."""
    units, total = await availability.repair_statistics(principal, from_, to)

    def out(s: object) -> RepairStatsOut:
        return RepairStatsOut.model_validate(s, from_attributes=True)

    return RepairReportOut(from_=from_, to=to, total=out(total), units=[out(u) for u in units])


@router.get("/intact-rate", response_model=IntactRateOut)
async def intact_rate(
    principal: CurrentPrincipal,
    node: Node,
    org: OrgQuery,
    from_: Annotated[Day | None, Query(alias="from", description="First local day")] = None,
    to: Annotated[Day | None, Query(description="Last local day")] = None,
    by: GroupBy = GroupBy.organisation,
) -> IntactRateOut:
    """Camera-days from each channel's filing up to now; without from/to the last 30 local
    days, today included (the KPIs' default too)."""
    report = await node.intact.report(principal, org, from_, to, by)

    def out(g: object) -> GroupRateOut:
        return GroupRateOut.model_validate(g, from_attributes=True)

    return IntactRateOut(
        organisation_id=report.organisation,
        from_=report.first,
        to=report.last,
        by=report.by,
        total=out(report.total),
        groups=[out(g) for g in report.groups],
    )
