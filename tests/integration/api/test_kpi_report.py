"""The KPI report as CSV and PDF, on the hand-drawn layout of coverage_layout.py: the same figures
as ``/kpis``, the PDF's pages carry them as the console writes them, scope and audit hold."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
from pypdf import PdfReader
from pytest import approx
from sqlalchemy import select, update

from tests.integration.api.coverage_layout import build_layout
from tests.integration.api.helpers import HEFEI_CHANNEL, add_user
from tests.integration.health.test_intact_rate import seed
from vigil.app import Vigil
from vigil.reports.model import KPI_NAMES, percent
from vigil.store.models import AuditRecord, Channel, Device

REPORT = "/api/v1/reports/kpis"


async def _layout_with_one_camera_online(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    await build_layout(client, admin)
    async with node.db.session() as session, session.begin():
        await session.execute(
            update(Channel).where(Channel.id == HEFEI_CHANNEL).values(status="online")
        )
        await session.execute(
            update(Device).where(Device.id == "34010000001180000001").values(online=True)
        )


async def _kpis(client: httpx.AsyncClient, headers: dict[str, str], org: str) -> dict[str, Any]:
    response = await client.get("/api/v1/kpis", params={"org": org}, headers=headers)
    assert response.status_code == 200, response.text
    kpis: dict[str, Any] = response.json()
    return kpis


async def _export(
    client: httpx.AsyncClient, headers: dict[str, str], org: str, file_format: str, **params: str
) -> httpx.Response:
    query = {"org": org, "format": file_format, **params}
    response = await client.get(REPORT, params=query, headers=headers)
    assert response.status_code == 200, response.text
    return response


def _pdf_text(response: httpx.Response) -> str:
    assert response.headers["content-type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


async def test_csv_figures_equal_the_kpis(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    await _layout_with_one_camera_online(client, admin, node)
    response = await _export(client, admin, "34", "csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'filename="kpi-report-34.csv"' in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))

    # The province first, then its two cities; six KPIs each.
    assert [(r["organisation_id"], r["kpi"]) for r in rows] == [
        (org, name) for org in ("34", "3401", "3402") for name in KPI_NAMES
    ]
    assert {r["organisation"] for r in rows} == {"安徽省", "合肥市", "芜湖市"}
    for org in ("34", "3401", "3402"):
        kpis = await _kpis(client, admin, org)
        for row in (r for r in rows if r["organisation_id"] == org):
            expected = kpis[row["kpi"]]
            value = None if row["value"] == "" else float(row["value"])
            assert value == expected["value"], (org, row)
            assert float(row["target"]) == expected["target"]
            assert row["reason"] == (expected["reason"] or "")
    hefei = {r["kpi"]: r for r in rows if r["organisation_id"] == "3401"}
    assert float(hefei["coverage_rate"]["shortfall"]) == approx(0.75, abs=1e-4)  # 25 % of 100 %
    # Filed just now, the NVR without online/offline events: today so far is not intact.
    assert float(hefei["intact_rate"]["value"]) == 0.0
    assert float(hefei["intact_rate"]["shortfall"]) == approx(0.95)


async def test_pdf_pages_carry_the_figures(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    await _layout_with_one_camera_online(client, admin, node)
    text = _pdf_text(await _export(client, admin, "34", "pdf"))

    assert "安徽省（34）视频监控指标报告" in text
    assert "统计期间：当前 至 当前" in text
    province = await _kpis(client, admin, "34")
    for name in KPI_NAMES[:5]:
        assert percent(province[name]["value"]) in text, name
    # Key areas 100 of 2,900 m² seen: 3.4 %, 96.6 points short of the 100 % target.
    assert "3.4%" in text and "差 96.6 个百分点" in text
    # Filed just now, no device with an online/offline event: 0.0 % of today so far.
    assert province["intact_rate"]["value"] == 0.0 and "差 95.0 个百分点" in text
    assert f"完好率统计日：{province['intact_from']} 至 {province['intact_to']}" in text
    # The children's table: Hefei's figures as the console writes them.
    hefei = await _kpis(client, admin, "3401")
    assert "合肥市（3401）" in text and "芜湖市（3402）" in text
    for figure in ("25.0%", "6.4%", "0.0%", "50.0%"):
        assert figure in text
    assert percent(hefei["road_coverage"]["value"]) == "6.4%"  # 15.36 of 240 m of road
    # Blind spots: both squares and the crossroads, with no approach seen of four.
    assert "芜湖广场" in text and "广场" in text and "路口" in text
    assert "0 / 4" in text

    english_text = _pdf_text(await _export(client, admin, "3401", "pdf", lang="en"))
    assert "KPI report: 合肥市 (3401)" in english_text
    assert "75.0 pts below" in english_text
    assert "Child organisations" not in english_text  # Hefei has none


async def test_exports_are_audited_and_scoped(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    await build_layout(client, admin)
    viewer = await add_user(client, admin, "hefei-viewer", "viewer", ["3401"])
    period = {"from": "2026-01-01T00:00:00+08:00", "to": "2026-02-01T00:00:00+08:00"}
    own_text = _pdf_text(await _export(client, viewer, "3401", "pdf", **period))
    assert "2026-01-01T00:00+08:00 至 2026-02-01T00:00+08:00" in own_text
    for org in ("34", "3402"):
        for file_format in ("csv", "pdf"):
            other = await client.get(
                REPORT, params={"org": org, "format": file_format}, headers=viewer
            )
            assert other.status_code == 403, other.text
            assert other.headers["content-type"] == "application/problem+json"
    reversed_period = {"from": period["to"], "to": period["from"]}
    bad = await client.get(
        REPORT, params={"org": "3401", "format": "csv", **reversed_period}, headers=viewer
    )
    assert bad.status_code == 422
    naive = {"from": "2026-01-01T00:00:00", "to": period["to"]}  # a time without its offset
    unclear = await client.get(
        REPORT, params={"org": "3401", "format": "csv", **naive}, headers=viewer
    )
    assert unclear.status_code == 422
    missing = await client.get(REPORT, params={"org": "9999", "format": "csv"}, headers=admin)
    assert missing.status_code == 404

    async with node.db.session() as session:
        exports = (
            await session.scalars(select(AuditRecord).where(AuditRecord.action == "report.export"))
        ).all()
    # Only the export that was made is recorded: who, which organisation, from where, how.
    assert [(r.actor, r.resource, r.outcome) for r in exports] == [
        ("hefei-viewer", "organisation:3401", "ok")
    ]
    assert exports[0].source == "127.0.0.9"
    assert '"format": "pdf"' in exports[0].detail


async def test_intact_rate_of_a_seeded_month_in_csv_and_pdf(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    await seed(client, admin, node)  # the availability tests' month: 75 of 90 camera-days intact
    november = {"from": "2026-11-01T00:00:00+08:00", "to": "2026-12-01T00:00:00+08:00"}
    rows = list(
        csv.DictReader(
            io.StringIO(
                (await _export(client, admin, "34", "csv", **november)).text.lstrip("\ufeff")
            )
        )
    )
    intact = {r["organisation_id"]: r for r in rows if r["kpi"] == "intact_rate"}
    assert float(intact["34"]["value"]) == approx(75 / 90)
    assert float(intact["3401"]["value"]) == approx(50 / 60)
    assert float(intact["3402"]["value"]) == approx(25 / 30)
    assert float(intact["34"]["shortfall"]) == approx(0.95 - 75 / 90)
    text = _pdf_text(await _export(client, admin, "34", "pdf", **november))
    assert "完好率统计日：2026-11-01 至 2026-11-30" in text
    assert "83.3%" in text and "差 11.7 个百分点" in text  # 75/90 against 95 %
