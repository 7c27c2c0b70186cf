"""The KPI report as CSV: one row per organisation and KPI, the organisation's own rows first.

Values are written as the API gives them (shares in 0–1, Python's shortest round-trip form), so
a spreadsheet recomputes nothing and a script can compare them with ``/kpis`` exactly.
"""

from __future__ import annotations

import csv
import io

from vigil.reports.model import KpiReport, shortfall

__all__ = ["COLUMNS", "render"]

COLUMNS = ("organisation_id", "organisation", "kpi", "value", "target", "shortfall", "reason")


def render(report: KpiReport) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for org in (report.organisation, *report.children):
        for name, kpi in org.figures.items():
            gap = shortfall(kpi)
            writer.writerow(
                [
                    org.organisation_id,
                    org.name,
                    name,
                    "" if kpi.value is None else kpi.value,
                    kpi.target,
                    "" if gap is None else gap,
                    kpi.reason or "",
                ]
            )
    # A byte-order mark, so that spreadsheet programs read the Chinese names as UTF-8.
    return out.getvalue().encode("utf-8-sig")
