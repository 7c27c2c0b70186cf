"""Availability: picture faults with evidence, on-demand diagnosis, work orders, intact rate.

The availability services check permissions and organisation scope; the evidence image is video
access and audited there (``video.snapshot``), so that handler marks the request audited.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from vigil.api.deps import CurrentCaller, CurrentPrincipal, Node
from vigil.api.pagination import decode_cursor, page_of
from vigil.api.schemas.common import (
    CursorQuery,
    Day,
    IdPath,
    Instant,
    IntIdPath,
    LimitQuery,
    Page,
)
from vigil.health.intact_rate import GroupBy
from vigil.health.service import ChannelThresholds
from vigil.store.models import VideoFault, WorkOrder

router = APIRouter(tags=["availability"])

ChannelQuery = Annotated[str | None, Query(pattern=r"^[0-9]{1,20}$", description="Channel ID")]
OpenQuery = Annotated[bool | None, Query(description="Only open (true) or closed (false) ones")]
OrgQuery = Annotated[str, Query(pattern=r"^[0-9]{1,20}$", description="Organisation ID")]


class FaultOut(BaseModel):
    id: int
    channel_id: str
    kind: str
    score: float
    threshold: float
    opened_at: datetime
    closed_at: datetime | None
    evidence_url: str | None


class WorkOrderOut(BaseModel):
    id: int
    fault_id: int
    kind: str = Field(description="The fault's kind")
    channel_id: str
    assignee: str | None
    opened_at: datetime
    closed_at: datetime | None
    repair_seconds: float | None = Field(description="Time to repair, once closed")


class RepairStatsOut(BaseModel):
    assignee: str | None = Field(description="Maintainer unit; null: channels without one")
    count: int
    open: int
    mean_hours: float | None = Field(description="Of the closed orders; null when none closed")
    median_hours: float | None
    p90_hours: float | None


class RepairReportOut(BaseModel):
    from_: datetime | None = Field(serialization_alias="from")
    to: datetime | None
    total: RepairStatsOut
    units: list[RepairStatsOut]


class FindingOut(BaseModel):
    kind: str
    score: float
    threshold: float
    bad: bool


class RoundOut(BaseModel):
    channel_id: str
    at: datetime
    findings: list[FindingOut]
    faults: list[str] = Field(description="Faults this round reports (root causes only)")
    raised: list[str]
    cleared: list[str]
    open: list[str]


class DayRateOut(BaseModel):
    day: date
    camera_days: int = Field(description="Channels on file that day (today: so far)")
    intact: int
    rate: float | None = Field(description="Null on a day without camera-days")


class GroupRateOut(BaseModel):
    group: str
    channels: int = Field(description="Channels with a camera-day in the period")
    camera_days: int
    intact: int
    rate: float | None = Field(description="Null without camera-days")
    target: float
    met: bool
    daily: list[DayRateOut] = Field(description="The same figures per local day (the trend)")


class IntactRateOut(BaseModel):
    organisation_id: str
    from_: date = Field(serialization_alias="from")
    to: date
    by: GroupBy
    total: GroupRateOut
    groups: list[GroupRateOut]


def _fault(fault: VideoFault) -> FaultOut:
    return FaultOut(
        id=fault.id,
        channel_id=fault.channel_id,
        kind=fault.kind,
        score=fault.score,
        threshold=fault.threshold,
        opened_at=fault.opened_at,
        closed_at=fault.closed_at,
        evidence_url=f"/api/v1/faults/{fault.id}/evidence" if fault.evidence_path else None,
    )


def _order(order: WorkOrder) -> WorkOrderOut:
    closed = order.closed_at
    return WorkOrderOut(
        id=order.id,
        fault_id=order.fault_id,
        kind=order.fault.kind,
        channel_id=order.channel_id,
        assignee=order.assignee,
        opened_at=order.opened_at,
        closed_at=closed,
        repair_seconds=(closed - order.opened_at).total_seconds() if closed else None,
    )


@router.get("/faults", response_model=Page[FaultOut])
async def list_faults(
    principal: CurrentPrincipal,
    node: Node,
    channel: ChannelQuery = None,
    open: OpenQuery = None,
    limit: LimitQuery = 100,
    cursor: CursorQuery = None,
) -> Page[FaultOut]:
    after = decode_cursor(cursor, int)
    rows = await node.availability.faults(principal, channel, open, after, limit + 1)
    return page_of(rows, limit, _fault, lambda f: f.id)


@router.get("/channels/{channel_id}/faults", response_model=Page[FaultOut])
async def channel_faults(
    channel_id: IdPath,
    principal: CurrentPrincipal,
    node: Node,
    limit: LimitQuery = 100,
    cursor: CursorQuery = None,
) -> Page[FaultOut]:
    after = decode_cursor(cursor, int)
    rows = await node.availability.faults(principal, channel_id, None, after, limit + 1)
    return page_of(rows, limit, _fault, lambda f: f.id)


@router.get(
    "/faults/{fault_id}/evidence",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}}}},
)
async def fault_evidence(fault_id: IntIdPath, caller: CurrentCaller, node: Node) -> Response:
    jpeg = await node.availability.evidence(caller, fault_id)
    return Response(jpeg, media_type="image/jpeg", headers={"Cache-Control": "no-store"})


@router.post("/channels/{channel_id}/diagnose", response_model=RoundOut)
async def diagnose(channel_id: IdPath, principal: CurrentPrincipal, node: Node) -> RoundOut:
    report = await node.availability.diagnose(principal, channel_id)
    return RoundOut(
        channel_id=report.channel_id,
        at=report.at,
        findings=[
            FindingOut(kind=f.kind, score=f.score, threshold=f.threshold, bad=f.bad)
            for f in report.findings
        ],
        faults=list(report.faults),
        raised=list(report.raised),
        cleared=list(report.cleared),
        open=list(report.open),
    )


class ThresholdsIn(BaseModel):
    overrides: dict[str, float] = Field(
        description="Thresholds fields this channel holds to instead of the node's defaults "
        "(replaces the earlier set; empty: the defaults)",
        max_length=64,
    )


class ThresholdsOut(BaseModel):
    channel_id: str
    overrides: dict[str, float]
    effective: dict[str, float] = Field(description="Every threshold in force for the channel")


def _thresholds(found: ChannelThresholds) -> ThresholdsOut:
    return ThresholdsOut(
        channel_id=found.channel_id,
        overrides=found.overrides,
        effective=dataclasses.asdict(found.effective),
    )


@router.get("/channels/{channel_id}/diagnosis-thresholds", response_model=ThresholdsOut)
async def get_thresholds(
    channel_id: IdPath, principal: CurrentPrincipal, node: Node
) -> ThresholdsOut:
    return _thresholds(await node.availability.channel_thresholds(principal, channel_id))


@router.put("/channels/{channel_id}/diagnosis-thresholds", response_model=ThresholdsOut)
async def put_thresholds(
    channel_id: IdPath,
    body: ThresholdsIn,
    caller: CurrentCaller,
    node: Node,
) -> ThresholdsOut:
    found = await node.availability.set_channel_thresholds(caller, channel_id, body.overrides)
    return _thresholds(found)


class PtzCheckOut(BaseModel):
    channel_id: str
    at: datetime
    similarity: float | None = Field(
        description="Of the picture after the move to before it; null: no live picture to judge"
    )
    threshold: float = Field(description="At or above it, the picture did not move")
    moved: bool | None
    raised: bool
    cleared: bool
    open: bool = Field(description="Whether a PTZ-not-responding fault is open after this check")


@router.post("/channels/{channel_id}/ptz-check", response_model=PtzCheckOut)
async def ptz_check(channel_id: IdPath, principal: CurrentPrincipal, node: Node) -> PtzCheckOut:
    """Move the channel's PTZ a little and back, and judge whether the picture moved."""
    report = await node.availability.check_ptz(principal, channel_id)
    return PtzCheckOut.model_validate(report, from_attributes=True)


@router.get("/work-orders", response_model=Page[WorkOrderOut])
async def list_work_orders(
    principal: CurrentPrincipal,
    node: Node,
    open: OpenQuery = None,
    limit: LimitQuery = 100,
    cursor: CursorQuery = None,
) -> Page[WorkOrderOut]:
    after = decode_cursor(cursor, int)
    rows = await node.availability.work_orders(principal, open, after, limit + 1)
    return page_of(rows, limit, _order, lambda o: o.id)


@router.get("/work-orders/stats", response_model=RepairReportOut)
async def work_order_stats(
    principal: CurrentPrincipal,
    node: Node,
    from_: Annotated[Instant | None, Query(alias="from")] = None,
    to: Instant | None = None,
) -> RepairReportOut:
    """Time to repair per maintainer unit, of the orders opened in [from, to)."""
    units, total = await node.availability.repair_statistics(principal, from_, to)

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
