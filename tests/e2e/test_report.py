"""The KPI report page of the demo's city: the figures it shows are the API's, written as the PDF
writes them, and the PDF it downloads carries them."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.e2e.conftest import SHOTS, Demo, log_in, shot
from vigil.reports.model import KPI_NAMES, percent

CITY, DISTRICT = "3401", "340104"  # the demo's 合肥市 and its one child, 蜀山区


def figure(kpi: dict[str, Any]) -> str:
    return "—" if kpi["value"] is None else percent(kpi["value"])


def kpis(demo: Demo, org: str) -> dict[str, Any]:
    response = demo.api("GET", f"/kpis?org={org}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def open_report(page: Page, demo: Demo, org: str) -> None:
    log_in(page, demo)
    page.get_by_role("link", name="指标报告").click()
    page.get_by_role("combobox", name="组织").select_option(org)
    page.get_by_role("button", name="查看").click()


def test_report_shows_the_api_figures_and_downloads_them_as_pdf(page: Page, demo: Demo) -> None:
    city, district = kpis(demo, CITY), kpis(demo, DISTRICT)
    spots = demo.api("GET", f"/coverage/blind-spots?org={CITY}").json()
    open_report(page, demo, CITY)
    expect(page.get_by_test_id("report-organisation")).to_have_text(f"合肥市（{CITY}）")

    for name in KPI_NAMES:
        expect(page.get_by_test_id(f"kpi-{name}")).to_have_text(figure(city[name]))
    # The demo's devices have no online/offline history before today: the intact rate has no
    # value over the default period (the last 30 days), and the page says why.
    assert city["intact_rate"]["value"] is None
    expect(page.get_by_test_id("intact-days")).to_have_text(
        f"完好率统计日：{city['intact_from']} 至 {city['intact_to']}"
    )
    assert city["intact_rate"]["reason_code"] == "kpi.no_history"  # worded, not the English
    last = city["intact_rate"]["reason_params"]["date"]
    expect(page.get_by_test_id("gap-intact_rate")).to_have_text(
        f"无法计算：截至 {last} 没有设备在线/离线记录"
    )
    # The demo district's layers are loaded and its cameras see part of them.
    assert city["coverage_rate"]["value"] is not None
    expect(page.locator(".chart-value")).to_have_text([figure(city[n]) for n in KPI_NAMES])
    drawn = sum(city[n]["value"] is not None for n in KPI_NAMES)
    expect(page.locator(".chart-plot rect.chart-bar")).to_have_count(drawn)
    expect(page.locator(".chart-plot line.chart-target")).to_have_count(len(KPI_NAMES))

    row = page.get_by_test_id("report-children").locator(f"tr[data-org='{DISTRICT}']")
    expect(row.locator("td")).to_have_text([figure(district[n]) for n in KPI_NAMES])
    areas = page.get_by_test_id("blind-key-areas").locator("tbody tr")
    expect(areas).to_have_count(min(len(spots["key_areas"]), 50))
    expect(areas.first.locator("td").first).to_have_text(spots["key_areas"][0]["name"])
    shot(page, "report")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="下载 PDF").click()
    download = download_info.value
    assert download.suggested_filename == f"kpi-report-{CITY}.pdf"
    saved = SHOTS / "report.pdf"
    download.save_as(saved)
    text = "\n".join(p.extract_text() for p in PdfReader(saved).pages)
    assert f"合肥市（{CITY}）" in text and f"蜀山区（{DISTRICT}）" in text
    for name in KPI_NAMES:
        assert figure(city[name]) in text, name
        assert figure(district[name]) in text, name
    assert spots["key_areas"][0]["name"] in text


def test_report_in_english(page: Page, demo: Demo) -> None:
    city = kpis(demo, CITY)
    open_report(page, demo, CITY)
    expect(page.get_by_test_id("kpi-coverage_rate")).to_have_text(figure(city["coverage_rate"]))
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Coverage and networking KPI report")).to_be_visible()
    card = page.locator(".kpi-card[data-kpi=hd_ratio]")
    expect(card.locator(".kpi-name")).to_have_text("HD ratio")
    expect(card.locator(".kpi-value")).to_have_text(figure(city["hd_ratio"]))
    expect(card.get_by_text("Target 100.0%")).to_be_visible()
    shot(page, "report-en")
