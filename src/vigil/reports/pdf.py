"""The KPI report as a PDF (A4): title with the organisation and period, the six figures beside
their targets, a bar chart with the target lines, the children's figures and the blind spots.

Text is set in ``STSong-Light``, one of the CID fonts every PDF reader carries, so Chinese names
render without a font file in the package. Figures are written with ``percent`` as the console
writes them.
"""

from __future__ import annotations

import io
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from vigil.coverage.kpis import Kpi
from vigil.reports.model import KPI_NAMES, KpiReport, Language, percent, points, shortfall

__all__ = ["render"]

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

MAX_BLIND_SPOTS = 50  # per kind; the rest are counted
WIDTH = A4[0] - 36 * mm
ACCENT = colors.HexColor("#2f6fe0")
TARGET = colors.HexColor("#c0392b")
GRID = colors.HexColor("#c8d0d8")

LABELS: dict[Language, dict[str, str]] = {
    Language.zh: {
        "title": "{name}（{id}）视频监控指标报告",
        "period": "统计期间：{start} 至 {end}",
        "now": "当前",
        "intact_days": "完好率统计日：{first} 至 {last}",
        "open": "不限",
        "kpi": "指标",
        "value": "数值",
        "target": "目标",
        "gap": "距目标",
        "met": "达标",
        "below": "差 {points} 个百分点",
        "none": "无法计算：{reason}",
        "chart": "各指标与目标线",
        "children": "下级组织",
        "organisation": "组织",
        "blind": "盲区",
        "key_areas": "未完全覆盖的重点公共区域",
        "intersections": "未覆盖的路口",
        "name": "名称",
        "category": "类别",
        "uncovered": "未覆盖面积（平方米）",
        "share": "未覆盖比例",
        "approaches": "已覆盖进口 / 进口",
        "centre": "中心区域已覆盖",
        "yes": "是",
        "no": "否",
        "no_spots": "无",
        "more": "另有 {n} 处未列出",
        "coverage_rate": "重点区域覆盖率",
        "road_coverage": "道路覆盖率",
        "intersection_coverage": "路口覆盖率",
        "hd_ratio": "高清化率",
        "networking_rate": "联网率",
        "intact_rate": "完好率",
    },
    Language.en: {
        "title": "KPI report: {name} ({id})",
        "period": "Period: {start} to {end}",
        "now": "now",
        "intact_days": "Intact rate over the days {first} to {last}",
        "open": "open",
        "kpi": "KPI",
        "value": "Value",
        "target": "Target",
        "gap": "To target",
        "met": "met",
        "below": "{points} pts below",
        "none": "Cannot be computed: {reason}",
        "chart": "Each KPI against its target line",
        "children": "Child organisations",
        "organisation": "Organisation",
        "blind": "Blind spots",
        "key_areas": "Key public areas not fully seen",
        "intersections": "Intersections not covered",
        "name": "Name",
        "category": "Category",
        "uncovered": "Unseen area (sq m)",
        "share": "Unseen share",
        "approaches": "Approaches seen / approaches",
        "centre": "Centre zone seen",
        "yes": "yes",
        "no": "no",
        "no_spots": "none",
        "more": "{n} more not listed",
        "coverage_rate": "Key-area coverage",
        "road_coverage": "Road coverage",
        "intersection_coverage": "Intersection coverage",
        "hd_ratio": "HD ratio",
        "networking_rate": "Networking rate",
        "intact_rate": "Intact rate",
    },
}

TITLE = ParagraphStyle("title", fontName=FONT, fontSize=16, leading=22, spaceAfter=4)
HEADING = ParagraphStyle("heading", fontName=FONT, fontSize=12, leading=16, spaceBefore=10)
BODY = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12)
TABLE_STYLE = TableStyle(
    [
        ("FONT", (0, 0), (-1, -1), FONT, 9),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
)


def render(report: KpiReport, language: Language) -> bytes:
    text = LABELS[language]
    org = report.organisation
    title = text["title"].format(name=org.name, id=org.organisation_id)
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=title,
        author="Vigil",
    )
    story: list[Flowable] = [
        _p(title, TITLE),
        _p(_period(report, text)),
        _p(text["intact_days"].format(first=org.intact_days[0], last=org.intact_days[1])),
        Spacer(0, 4 * mm),
        _table(_figure_rows(org.figures, text), [0.26, 0.14, 0.14, 0.46]),
        _p(text["chart"], HEADING),
        _chart(org.figures, text),
    ]
    if report.children:
        story += [_p(text["children"], HEADING), _children(report, text)]
    story += _blind_spots(report, text)
    document.build(story)
    return out.getvalue()


def _p(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    """A paragraph of plain text (names and reasons are data, not Paragraph markup)."""
    return Paragraph(escape(text), style)


def _period(report: KpiReport, text: dict[str, str]) -> str:
    if report.start is None and report.end is None:
        return text["period"].format(start=text["now"], end=text["now"])

    def when(at: datetime | None) -> str:
        return at.isoformat(timespec="minutes") if at else text["open"]

    return text["period"].format(start=when(report.start), end=when(report.end))


def _table(rows: list[list[str | Paragraph]], shares: list[float]) -> Table:
    table = Table(rows, colWidths=[WIDTH * s for s in shares], repeatRows=1)
    table.setStyle(TABLE_STYLE)
    return table


def _figure_rows(figures: dict[str, Kpi], text: dict[str, str]) -> list[list[str | Paragraph]]:
    rows: list[list[str | Paragraph]] = [[text["kpi"], text["value"], text["target"], text["gap"]]]
    for name, kpi in figures.items():
        gap = shortfall(kpi)
        if gap is None:
            note = text["none"].format(reason=kpi.reason or "")
        else:
            note = text["met"] if gap == 0 else text["below"].format(points=points(gap))
        value = "—" if kpi.value is None else percent(kpi.value)
        rows.append([text[name], value, percent(kpi.target), _p(note)])
    return rows


def _chart(figures: dict[str, Kpi], text: dict[str, str]) -> Drawing:
    """Bars of the values (0–100 %) with each KPI's target as a dashed line across its bar."""
    left, bottom, height, label_size = 34.0, 30.0, 150.0, 7.5
    drawing = Drawing(WIDTH, bottom + height + 16)
    slot = (WIDTH - left) / len(figures)
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        y = bottom + tick * height
        drawing.add(Line(left, y, WIDTH, y, strokeColor=GRID, strokeWidth=0.5))
        drawing.add(_label(left - 4, y - 3, percent(tick), 7, "end"))
    for i, (name, kpi) in enumerate(figures.items()):
        x, bar = left + (i + 0.2) * slot, slot * 0.6
        top = bottom + (kpi.value or 0) * height
        if kpi.value is not None:
            drawing.add(Rect(x, bottom, bar, top - bottom, fillColor=ACCENT, strokeColor=None))
        drawing.add(_label(x + bar / 2, top + 3, "—" if kpi.value is None else percent(kpi.value)))
        y = bottom + kpi.target * height
        target = Line(x - 4, y, x + bar + 4, y, strokeColor=TARGET, strokeWidth=1.5)
        target.strokeDashArray = [3, 2]
        drawing.add(target)
        for n, part in enumerate(simpleSplit(text[name], FONT, label_size, slot - 4)):
            drawing.add(_label(x + bar / 2, bottom - 10 - n * (label_size + 1), part, label_size))
    return drawing


def _label(x: float, y: float, text: str, size: float = 8, anchor: str = "middle") -> String:
    return String(x, y, text, fontName=FONT, fontSize=size, textAnchor=anchor)


def _children(report: KpiReport, text: dict[str, str]) -> Table:
    header: list[str | Paragraph] = [text["organisation"]]
    header += [_p(text[name]) for name in KPI_NAMES]
    rows = [header]
    for child in report.children:
        rows.append(
            [
                _p(f"{child.name}（{child.organisation_id}）"),
                *("—" if k.value is None else percent(k.value) for k in child.figures.values()),
            ]
        )
    return _table(rows, [0.28] + [0.12] * len(KPI_NAMES))


def _blind_spots(report: KpiReport, text: dict[str, str]) -> list[Flowable]:
    spots = report.blind_spots
    areas: list[list[str | Paragraph]] = [
        [text["name"], text["category"], text["uncovered"], text["share"]]
    ]
    for a in spots.key_areas[:MAX_BLIND_SPOTS]:
        share = percent(a.uncovered_m2 / a.area_m2)
        areas.append([_p(a.name), a.category or "—", f"{a.uncovered_m2:,.0f}", share])
    crossings: list[list[str | Paragraph]] = [[text["name"], text["approaches"], text["centre"]]]
    for c in spots.intersections[:MAX_BLIND_SPOTS]:
        seen = f"{c.approaches_seen} / {c.approaches}"
        crossings.append([_p(c.name), seen, text["yes" if c.centre_seen else "no"]])
    story: list[Flowable] = [_p(text["blind"], HEADING)]
    for title, rows, count, shares in (
        ("key_areas", areas, len(spots.key_areas), [0.4, 0.2, 0.2, 0.2]),
        ("intersections", crossings, len(spots.intersections), [0.5, 0.3, 0.2]),
    ):
        story.append(_p(text[title]))
        story.append(_table(rows, shares) if count else _p(text["no_spots"]))
        if count > MAX_BLIND_SPOTS:
            story.append(_p(text["more"].format(n=count - MAX_BLIND_SPOTS)))
        story.append(Spacer(0, 3 * mm))
    return story
