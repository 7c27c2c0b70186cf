"""The filing registry: each device's and platform's filing, and the report of channels and
systems whose filing is incomplete, as JSON or CSV."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response

from vigil.api.deps import CurrentPrincipal, Node
from vigil.api.schemas.common import IdPath
from vigil.api.schemas.coverage import (
    FilingReportOut,
    SystemFilingIn,
    SystemFilingOut,
)
from vigil.api.schemas.from_attrs import from_attrs
from vigil.api.services import SystemFiling
from vigil.coverage.filing import FILING_FIELDS, FilingReport
from vigil.coverage.system_filing import SystemKind, SystemRecord

router = APIRouter(prefix="/filing", tags=["filing"])

PlatformPath = Annotated[int, Path(ge=1, le=2**31 - 1, description="Platform ID")]


def _out(record: SystemRecord) -> SystemFilingOut:
    return from_attrs(SystemFilingOut, record, **record.fields)


@router.get("/devices/{device_id}", response_model=SystemFilingOut)
async def get_device_filing(
    device_id: IdPath, principal: CurrentPrincipal, system_filing: SystemFiling
) -> SystemFilingOut:
    return _out(await system_filing.get(principal, SystemKind.device, device_id))


@router.put("/devices/{device_id}", response_model=SystemFilingOut)
async def put_device_filing(
    device_id: IdPath,
    body: SystemFilingIn,
    principal: CurrentPrincipal,
    system_filing: SystemFiling,
) -> SystemFilingOut:
    fields = body.model_dump()
    return _out(await system_filing.put(principal, SystemKind.device, device_id, fields))


@router.get("/platforms/{platform_id}", response_model=SystemFilingOut)
async def get_platform_filing(
    platform_id: PlatformPath, principal: CurrentPrincipal, system_filing: SystemFiling
) -> SystemFilingOut:
    return _out(await system_filing.get(principal, SystemKind.platform, str(platform_id)))


@router.put("/platforms/{platform_id}", response_model=SystemFilingOut)
async def put_platform_filing(
    platform_id: PlatformPath,
    body: SystemFilingIn,
    principal: CurrentPrincipal,
    system_filing: SystemFiling,
) -> SystemFilingOut:
    fields = body.model_dump()
    record = await system_filing.put(principal, SystemKind.platform, str(platform_id), fields)
    return _out(record)


def _csv(report: FilingReport) -> str:
    """One row per flagged channel, then per flagged system; ``missing`` under each empty field."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["kind", "id", "name", "organisation_id", *FILING_FIELDS])
    rows = [("channel", c.id, c.name, c.organisation_id, c.missing) for c in report.flagged]
    rows += [
        (s.kind.value, s.id, s.name, s.organisation_id, s.missing) for s in report.flagged_systems
    ]
    for kind, id, name, org, missing in rows:
        marks = ["missing" if field in missing else "" for field in FILING_FIELDS]
        writer.writerow([kind, id, name, org or "", *marks])
    return out.getvalue()


@router.get(
    "/report",
    response_model=FilingReportOut,
    responses={200: {"content": {"text/csv": {}}, "description": "JSON, or CSV with format=csv"}},
)
async def filing_report(
    principal: CurrentPrincipal,
    node: Node,
    org: Annotated[str, Query(pattern=r"^[0-9]{1,20}$", description="Organisation ID")],
    format: Literal["json", "csv"] = "json",
) -> FilingReportOut | Response:
    report = await node.filing.report(principal, org)
    if format == "csv":
        headers = {"Content-Disposition": f'attachment; filename="filing-{org}.csv"'}
        return Response(_csv(report), media_type="text/csv; charset=utf-8", headers=headers)
    return FilingReportOut.model_validate(report, from_attributes=True)
