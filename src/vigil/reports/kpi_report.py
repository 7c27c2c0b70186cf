"""The KPI report service: builds an organisation's report and exports it as CSV or PDF.

Every figure comes from the coverage service, which checks the caller's permission and that the
organisation lies in their scope; each export is written to the audit log as ``report.export``
(figures leaving the platform are an access like any other).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum

from vigil.catalog.organisations import OrganisationService
from vigil.coverage.service import CoverageService
from vigil.governance.audit import AuditLog
from vigil.governance.audited import Caller, as_caller, note
from vigil.governance.permissions import Principal
from vigil.reports import csv, pdf
from vigil.reports.model import KPI_NAMES, KpiReport, Language, OrganisationFigures

__all__ = ["KpiReportService", "ReportFormat"]

CHILDREN_PAGE = 500


class ReportFormat(StrEnum):
    """The file formats a KPI report is exported in."""

    csv = "csv"
    pdf = "pdf"


class KpiReportService:
    """Builds an organisation's KPI report and exports it as CSV or PDF, audited."""

    def __init__(
        self, coverage: CoverageService, organisations: OrganisationService, audit: AuditLog
    ) -> None:
        self._coverage = coverage
        self._organisations = organisations
        self._audit = audit

    async def build(
        self, principal: Principal, org_id: str, start: datetime | None, end: datetime | None
    ) -> KpiReport:
        """The organisation's figures, its children's and its blind spots."""
        organisation = await self._figures(principal, org_id, start, end)
        children = [
            await self._figures(principal, child, start, end)
            for child in await self._children(principal, org_id)
        ]
        spots = await self._coverage.blind_spots(principal, org_id)
        return KpiReport(organisation, start, end, children, spots)

    async def export(
        self,
        who: Principal | Caller,
        org_id: str,
        period: tuple[datetime | None, datetime | None],
        file_format: ReportFormat,
        language: Language,
    ) -> bytes:
        """The report as a CSV or PDF file, recorded in the audit log."""
        caller = as_caller(who)
        principal = caller.principal
        start, end = period
        report = await self.build(principal, org_id, start, end)
        renderers: dict[ReportFormat, Callable[[], bytes]] = {
            ReportFormat.csv: lambda: csv.render(report),
            ReportFormat.pdf: lambda: pdf.render(report, language),
        }
        body = await asyncio.to_thread(renderers[file_format])
        await note(
            self._audit,
            caller,
            "report.export",
            f"organisation:{org_id}",
            detail={"report": "kpis", "format": file_format.value, "from": start, "to": end},
        )
        return body

    async def _figures(
        self, principal: Principal, org_id: str, start: datetime | None, end: datetime | None
    ) -> OrganisationFigures:
        organisation = await self._organisations.get(principal, org_id)
        kpis = await self._coverage.kpis(principal, org_id, start, end)
        figures = {name: kpis.figures[name] for name in KPI_NAMES}
        return OrganisationFigures(organisation.id, organisation.name, figures, kpis.intact_days)

    async def _children(self, principal: Principal, org_id: str) -> list[str]:
        ids: list[str] = []
        after: str | None = None
        while True:
            page = await self._organisations.page(principal, after, CHILDREN_PAGE, org_id)
            ids += [o.id for o in page]
            if len(page) < CHILDREN_PAGE:
                return ids
            after = page[-1].id
