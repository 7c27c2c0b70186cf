"""The analytics rules editor against the demo: opened from the channels page over the camera's
live picture, a zone drawn with the mouse (clicks, a double-click closes it) and a line (two
clicks, its direction flipped), saved; the API holds them at the normalised coordinates drawn
(± 0.01) and a reload draws them again; a line redrawn with the keyboard alone; a save over
someone else's is refused in words; the page reads well (contrast) and in Chinese only.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Demo, log_in, shot
from tests.e2e.drawing import at, close
from tests.e2e.latin import findings
from vigil.demo import CAMERAS

CAMERA = CAMERAS[2]
CONTRAST = (Path(__file__).parent / "contrast.js").read_text()
ZONE = [(0.2, 0.2), (0.6, 0.2), (0.6, 0.6), (0.2, 0.6)]
LINE = [(0.1, 0.8), (0.9, 0.8)]


def _saved(demo: Demo) -> dict[str, Any]:
    response = demo.api("GET", f"/channels/{CAMERA.id}/analytics/rules")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _drawn_points(page: Page, selector: str) -> list[tuple[float, float]]:
    """The points of an overlay shape, back in fractions of the overlay."""
    overlay = page.get_by_test_id("rules-overlay")
    box = overlay.bounding_box()
    assert box is not None
    raw = page.locator(selector).get_attribute("points") or ""
    pairs = [tuple(map(float, p.split(","))) for p in raw.split()]
    return [(x / box["width"], y / box["height"]) for x, y in pairs]


def test_draw_save_and_reload_rules(page: Page, demo: Demo) -> None:
    log_in(page, demo)
    page.goto(demo.url + "/manage/channels")
    row = page.locator("tr", has_text=CAMERA.id)
    row.get_by_role("link", name=re.compile("分析规则")).click()
    expect(page).to_have_url(re.compile(rf"/analytics/rules\?channel={CAMERA.id}$"))
    expect(page.get_by_role("heading", name=f"分析规则：{CAMERA.name}")).to_be_visible()
    expect(page.locator(".rules-stage .player")).to_have_attribute(
        "data-stage", "play", timeout=20_000
    )
    overlay = page.get_by_test_id("rules-overlay")

    # A zone: three clicks, and a double-click on the fourth point closes it.
    page.get_by_role("button", name="添加区域").click()
    expect(page.get_by_test_id("rules-hint")).to_contain_text("双击")
    for point in ZONE[:-1]:
        page.mouse.click(*at(overlay, point))
    page.mouse.dblclick(*at(overlay, ZONE[-1]))
    expect(page.locator("polygon[data-rule='rule-1']")).to_be_visible()
    form = page.get_by_role("form", name="区域 1")
    form.get_by_label("名称").fill("东门区域")
    form = page.get_by_role("form", name="东门区域")
    form.get_by_label("规则类型").select_option("loitering")
    form.get_by_label("停留时长（秒）").fill("15")
    form.get_by_label("汽车").check()

    # A line: two clicks; its direction set, then flipped.
    page.get_by_role("button", name="添加警戒线").click()
    for point in LINE:
        page.mouse.click(*at(overlay, point))
    line = page.locator("g.rule-shape[data-rule='rule-2']")
    expect(line.locator(".rule-arrow")).to_have_count(2)  # both ways
    form = page.get_by_role("form", name="警戒线 1")
    form.get_by_label("越线方向").select_option("a_to_b")
    expect(line.locator(".rule-arrow")).to_have_count(1)
    form.get_by_role("button", name="反转方向").click()
    expect(form.get_by_label("越线方向")).to_have_value("b_to_a")
    # Drawn left to right, side A is above: B→A points up the screen.
    arrow = line.locator(".rule-arrow line")
    y1, y2 = (float(arrow.get_attribute(name) or "nan") for name in ("y1", "y2"))
    assert y2 < y1
    shot(page, "rules-drawn")

    page.get_by_role("button", name="保存全部规则").click()
    expect(page.get_by_test_id("rules-saved")).to_have_text("已保存（第 1 版）")
    saved = _saved(demo)
    assert saved["version"] == 1
    zone, tripwire = saved["rules"]
    assert (zone["id"], zone["kind"], zone["name"]) == ("rule-1", "loitering", "东门区域")
    assert zone["dwell_s"] == 15 and sorted(zone["classes"]) == ["car", "person"]
    assert close(zone["zone"], ZONE), zone["zone"]
    assert (tripwire["kind"], tripwire["direction"]) == ("line_crossing", "b_to_a")
    assert close(tripwire["line"], LINE), tripwire["line"]

    # A reload draws what the server holds.
    page.reload()
    expect(page.locator(".rules-stage .player")).to_have_attribute(
        "data-stage", "play", timeout=20_000
    )
    expect(page.get_by_test_id("rules-version")).to_contain_text("第 1 版")
    drawn_zone = _drawn_points(page, "polygon[data-rule='rule-1']")
    assert close([list(p) for p in drawn_zone], ZONE), drawn_zone
    drawn_line = _drawn_points(page, "g[data-rule='rule-2'] > polyline")
    assert close([list(p) for p in drawn_line], LINE), drawn_line
    expect(page.get_by_role("button", name=re.compile("东门区域"))).to_be_visible()


def test_keyboard_drawing_conflict_and_words(page: Page, demo: Demo) -> None:
    log_in(page, demo)
    page.goto(f"{demo.url}/analytics/rules?channel={CAMERA.id}")
    expect(page.get_by_test_id("rules-version")).to_contain_text("版")
    page.get_by_role("button", name="添加警戒线").click()
    overlay = page.get_by_test_id("rules-overlay")
    # Tab reaches the drawing area; the cursor starts in the middle of the picture.
    page.get_by_role("button", name="添加警戒线").focus()
    for _ in range(20):
        page.keyboard.press("Shift+Tab")
        if overlay.evaluate("el => el === document.activeElement"):
            break
    assert overlay.evaluate("el => el === document.activeElement"), "Tab never reached it"
    expect(page.get_by_test_id("rules-cursor")).to_be_visible()
    for _ in range(3):
        page.keyboard.press("Shift+ArrowLeft")
    page.keyboard.press("Space")
    for _ in range(6):
        page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Space")
    added = page.locator("g.rule-shape").last
    expect(added.locator(".rule-arrow")).to_have_count(2)

    # Someone else saves meanwhile: this save is refused, in words.
    before = _saved(demo)
    other = demo.api(
        "PUT",
        f"/channels/{CAMERA.id}/analytics/rules",
        json={"version": before["version"], "rules": before["rules"]},
    )
    assert other.status_code == 200, other.text
    page.get_by_role("button", name="保存全部规则").click()
    expect(page.get_by_test_id("server-error")).to_have_text("规则已被他人修改，请重新加载后再保存")
    page.get_by_role("button", name="重新加载").click()
    expect(page.get_by_test_id("server-error")).to_have_count(0)
    expect(page.get_by_test_id("rules-version")).to_contain_text(f"第 {before['version'] + 1} 版")
    page.get_by_role("button", name="添加警戒线").click()
    overlay.focus()  # the cursor is where the last point was put, at 0.8
    for _ in range(6):
        page.keyboard.press("Shift+ArrowLeft")
    page.keyboard.press("Space")
    for _ in range(6):
        page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Space")
    page.get_by_role("button", name="保存全部规则").click()
    expect(page.get_by_test_id("rules-saved")).to_be_visible()
    rules = _saved(demo)["rules"]
    assert close(rules[-1]["line"], [(0.2, 0.5), (0.8, 0.5)]), rules[-1]

    # An unfinished rule is named before anything is sent.
    page.get_by_role("button", name="添加区域").click()
    page.get_by_role("button", name="保存全部规则").click()
    expect(page.get_by_role("alert").filter(has_text="尚未绘制完成")).to_be_visible()

    assert findings(page) == []
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.mouse.move(0, 0)
    result = page.evaluate(CONTRAST)
    assert result["measured"] >= 5
    assert result["failures"] == [], result["failures"]
    shot(page, "rules-keyboard")
