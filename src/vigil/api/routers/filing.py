"""The filing registry report: channels whose filing data is incomplete, as JSON or CSV."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from vigil.api.deps import CurrentPrincipal, Node
from vigil.api.schemas.coverage import FilingReportOut, FlaggedChannelOut
from vigil.coverage.filing import FILING_FIELDS

router = APIRouter(prefix="/filing", tags=["filing"])


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
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["channel_id", "name", "organisation_id", *FILING_FIELDS])
        for c in report.flagged:
            marks = ["missing" if name in c.missing else "" for name in FILING_FIELDS]
            writer.writerow([c.id, c.name, c.organisation_id or "", *marks])
        headers = {"Content-Disposition": f'attachment; filename="filing-{org}.csv"'}
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)
    return FilingReportOut(
        organisation_id=report.organisation_id,
        channels=report.channels,
        flagged=[
            FlaggedChannelOut(
                id=c.id, name=c.name, organisation_id=c.organisation_id, missing=c.missing
            )
            for c in report.flagged
        ],
    )
