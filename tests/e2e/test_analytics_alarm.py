"""The real analytics alarm in a real browser: ``vigil demo`` with its live analytics on, the
footage camera's lawn zone (vigil.demo_rules) raises an intrusion when the woman crosses the
lawn's corner (~67–76 s into each 79.5 s loop of the footage). An operator watching the live wall
gets the popup naming the rule, opens the alarm (its snapshot loaded, its clip linked), and finds
the camera put on the wall by the demo's linkage, marked with the alarm; the loop raises that
rule's alarm once, and the wrong-way line none.

Nothing is simulated: the footage camera, the detector, the tracker, the rules and the alarm
centre are the demo's own, in its processes. The demo runs for this module alone (analytics on),
apart from the shared one that the other pages' tests use without analytics.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Demo, log_in, running_demo, shot
from tests.e2e.latin import findings
from vigil.demo import FOOTAGE_CAMERA_ID
from vigil.demo_rules import LAWN_RULE, WRONG_WAY_RULE

pytestmark = pytest.mark.timeout(400)

CONTRAST = (Path(__file__).parent / "contrast.js").read_text()
RULE_NAME = "草坪禁入区"
#: The worker may take 20 s to start; the woman comes ~70 s into the loop, or in the next one.
FIRST_ALARM_S = 180
#: How long after the first alarm no second one of the rule may come (its cooldown is 20 s:
#: a second would be a second entry into the zone, which the footage has not).
QUIET_S = 15


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    with running_demo(tmp_path_factory.mktemp("e2e-analytics"), analytics=True) as running:
        yield running


def _analytics_alarms(demo: Demo) -> list[dict[str, Any]]:
    """The footage camera's analytics alarms, as the API lists them."""
    path = f"/alarms?source=analytics&channel={FOOTAGE_CAMERA_ID}&limit=100"
    response = demo.api("GET", path)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def _readable(page: Page, name: str) -> None:
    """No English in the Chinese page, readable contrast (WCAG 2.x), and a screenshot."""
    assert findings(page) == []
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.mouse.move(0, 0)
    result = page.evaluate(CONTRAST)
    assert result["measured"] >= 10 and result["failures"] == [], result["failures"]
    shot(page, name)


def test_the_lawn_intrusion_pops_up_opens_and_goes_on_the_wall(page: Page, demo: Demo) -> None:
    log_in(page, demo)  # the live wall is the first page
    page.locator("button[data-layout='4']").click()
    expect(page.locator(".socket")).to_have_text("实时更新")  # the events socket is live
    expect(page.locator(f".cell .player[data-channel='{FOOTAGE_CAMERA_ID}']")).to_have_count(0)

    # Only the rule's popup: another alarm (a picture fault, say) may pop up beside it.
    toast = page.get_by_role("alert").filter(has_text="新报警").filter(has_text=RULE_NAME)
    expect(toast).to_be_visible(timeout=FIRST_ALARM_S * 1000)
    first_seen = time.monotonic()
    expect(toast).to_contain_text(f"新报警：区域入侵（规则“{RULE_NAME}”）")
    expect(toast).to_contain_text(FOOTAGE_CAMERA_ID)
    expect(toast).to_contain_text("二级（重要）")
    alarm_id = int(toast.get_attribute("data-alarm") or "0")
    (alarm,) = [a for a in _analytics_alarms(demo) if a["id"] == alarm_id]
    assert alarm["kind"] == "intrusion" and alarm["detail"]["rule_id"] == LAWN_RULE

    # The demo's linkage put the camera on the open wall, marked with the alarm.
    cell = page.locator(".cell").filter(
        has=page.locator(f".player[data-channel='{FOOTAGE_CAMERA_ID}']")
    )
    expect(cell).to_have_count(1, timeout=10_000)
    expect(cell).to_have_class(re.compile(r"\balarm-linked level-2\b"))
    expect(cell.locator(".cell-alarm[role=status]")).to_have_text("联动报警：区域入侵")
    expect(cell.locator(".player")).to_have_attribute("data-stage", "play", timeout=15_000)
    _readable(page, "analytics-alarm-popup")

    popup = page.locator(f"[role=alert][data-alarm='{alarm_id}']")  # in either language
    page.get_by_role("button", name="English").click()
    expect(popup).to_contain_text(f"New alarm: Intrusion (rule “{RULE_NAME}”)")
    page.get_by_role("button", name="中文").click()

    popup.get_by_role("link", name="查看报警").click()
    expect(page).to_have_url(re.compile(rf"/alarms\?alarm={alarm_id}$"))
    detail = page.get_by_test_id("alarm-detail")
    expect(detail).to_have_attribute("data-state", "new")
    expect(detail.get_by_test_id("alarm-rule")).to_have_text(RULE_NAME)
    expect(detail).to_contain_text("智能分析")
    expect(detail).to_contain_text("行人")  # the object the rule fired for
    picture = detail.locator("img.alarm-snapshot")
    expect(picture).to_be_visible(timeout=10_000)
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=picture.element_handle()
    )
    clip = detail.get_by_role("link", name=re.compile("回放报警录像"))
    expect(clip).to_have_attribute(
        "href", re.compile(rf"^/playback\?channel={FOOTAGE_CAMERA_ID}&at=")
    )
    _readable(page, "analytics-alarm-detail")

    # Over the loop the rule raises once: nothing more 15 s after the first, nor from the line.
    page.wait_for_timeout(max(0.0, QUIET_S - (time.monotonic() - first_seen)) * 1000)
    alarms = _analytics_alarms(demo)
    rules = [a["detail"]["rule_id"] for a in alarms]
    assert rules.count(LAWN_RULE) == 1, alarms
    assert WRONG_WAY_RULE not in rules, alarms
    form = page.get_by_role("form", name="筛选报警")
    form.get_by_label("摄像机").select_option(FOOTAGE_CAMERA_ID)
    form.get_by_label("报警类型").select_option("intrusion")
    form.get_by_role("button", name="查询").click()
    rows = page.get_by_test_id("alarms").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-alarm", str(alarm_id))
