"""Reports to download: the KPI report of an organisation as CSV or PDF."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from vigil.api.deps import CurrentCaller
from vigil.api.schemas.common import Instant
from vigil.api.services import Reports
from vigil.reports.kpi_report import ReportFormat
from vigil.reports.model import Language

router = APIRouter(prefix="/reports", tags=["reports"])

MEDIA_TYPES = {ReportFormat.csv: "text/csv; charset=utf-8", ReportFormat.pdf: "application/pdf"}


@router.get(
    "/kpis",
    response_class=Response,
    responses={
        200: {
            "content": {"text/csv": {}, "application/pdf": {}},
            "description": "The KPI report of the organisation and its children, with blind spots",
        }
    },
)
async def kpi_report(
    caller: CurrentCaller,
    reports: Reports,
    org: Annotated[str, Query(pattern=r"^[0-9]{1,20}$", description="Organisation ID")],
    format: ReportFormat,
    from_: Annotated[Instant | None, Query(alias="from")] = None,
    to: Instant | None = None,
    lang: Annotated[Language, Query(description="Language of the PDF's text")] = Language.zh,
) -> Response:
    body = await reports.export(caller, org, (from_, to), format, lang)
    filename = f"kpi-report-{org}.{format.value}"
    return Response(
        body,
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
