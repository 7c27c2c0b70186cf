"""The console's geometry on an operator's 1366×768 screen, in English and in Chinese.

Each test measures what a person saw go wrong: the navigation wrapping, the channel form's fields
out of line, action buttons wrapping in tables, the upper platform's check box above its label,
the PTZ speed slider with its label adrift, and the stats of a 4×4 wall covering the video. The
selectors are the page's structure, not its words, so one test serves both languages; each
writes a screenshot per language to ``test-output/e2e/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.conftest import Demo, log_in, open_page, shot
from vigil.demo import CAMERAS

WIDTH, HEIGHT = 1366, 768
#: Sub-pixel rounding between boxes laid out on the same line.
SLACK = 2.0

# Pixel positions of a page that polls and re-renders: checked after the parallel part of the run.
pytestmark = pytest.mark.alone

Box = dict[str, float]


@pytest.fixture(params=["en", "zh-CN"])
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    with open_page(browser, locale=request.param) as fresh:
        fresh.set_viewport_size({"width": WIDTH, "height": HEIGHT})
        yield fresh


def box(locator: Locator) -> Box:
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not laid out"
    return {"x": found["x"], "y": found["y"], "width": found["width"], "height": found["height"]}


def middle(b: Box) -> float:
    return b["y"] + b["height"] / 2


def overlaps(a: Box, b: Box) -> bool:
    return (
        a["x"] < b["x"] + b["width"] - SLACK
        and b["x"] < a["x"] + a["width"] - SLACK
        and a["y"] < b["y"] + b["height"] - SLACK
        and b["y"] < a["y"] + a["height"] - SLACK
    )


def lang(page: Page) -> str:
    return str(page.evaluate("document.documentElement.lang"))


def test_navigation_is_one_line_and_the_header_two_at_most(page: Page, demo: Demo) -> None:
    log_in(page, demo)
    items = page.locator("header.topbar nav li")
    assert items.count() == 18  # the administrator sees every page
    tops = {round(box(items.nth(i))["y"]) for i in range(items.count())}
    assert len(tops) == 1, f"the navigation wraps: item tops {sorted(tops)}"
    last = box(items.last)
    assert last["x"] + last["width"] <= WIDTH, "the last item is off the screen"
    # Brand, navigation and the user's controls take two lines at most (three wasted 30 px).
    rows = {
        round(middle(box(page.locator(selector))) / 10)
        for selector in ("header.topbar .brand", "header.topbar nav ul", "header.topbar .user")
    }
    assert len(rows) <= 2, f"the header takes {len(rows)} lines"
    shot(page, f"layout-nav-{lang(page)}")


def test_channel_form_fields_line_up(page: Page, demo: Demo) -> None:
    log_in(page, demo)
    page.goto(f"{demo.url}/manage/channels")
    form = page.locator("form.grid-form").first
    form.locator("input[name=channel-id]").fill("123")
    form.locator("input[name=channel-name]").click()  # leaves the ID: its rule shows under it
    expect(form.locator(".field-error").first).to_be_visible()
    # The device's rule (required) is tied to its select, as the ID's is to its input.
    device = form.locator("select")
    expect(device).to_have_attribute("aria-invalid", "true")
    error_id = device.get_attribute("aria-describedby")
    expect(form.locator(f"[id='{error_id}']")).to_have_class("field-error")
    controls = [
        box(form.locator("input[name=channel-id]")),
        box(form.locator("input[name=channel-name]")),
        box(form.locator("select")),
        box(form.locator("button[type=submit]")),
    ]
    tops = [c["y"] for c in controls]
    assert max(tops) - min(tops) <= SLACK, f"controls not on one line: tops {tops}"
    for left, right in pairwise(controls):
        assert left["x"] + left["width"] <= right["x"] + SLACK, "a control overlaps the next"
    shot(page, f"layout-channel-form-{lang(page)}")


@pytest.mark.parametrize("path", ["/manage/channels", "/manage/organisations", "/manage/users"])
def test_action_columns_stay_on_one_line(page: Page, demo: Demo, path: str) -> None:
    log_in(page, demo)
    page.goto(demo.url + path)
    cells = page.locator("table td.actions")
    expect(cells.first).to_be_visible()
    several = 0
    for i in range(cells.count()):
        buttons = cells.nth(i).locator("button")
        several += buttons.count() >= 2
        tops = {round(box(buttons.nth(b))["y"]) for b in range(buttons.count())}
        assert len(tops) == 1, f"row {i}: the buttons wrap ({sorted(tops)})"
        cell = box(cells.nth(i))
        last = box(buttons.last)
        assert last["x"] + last["width"] <= cell["x"] + cell["width"] + SLACK, "a button overflows"
    assert several > 0, "no row with two buttons to measure"
    shot(page, f"layout-actions{path.replace('/', '-')}-{lang(page)}")


def test_upper_platform_check_box_sits_on_its_label_line(page: Page, demo: Demo) -> None:
    log_in(page, demo)
    page.goto(f"{demo.url}/platforms/upper")
    check = page.locator("form.grid-form label.check")
    expect(page.locator("table caption, table tbody tr").first).to_be_visible()  # laid out
    tick, text, beside = page.evaluate(
        """(label) => {
            const rect = (r) => ({x: r.x, y: r.y, width: r.width, height: r.height});
            const range = document.createRange();
            range.selectNodeContents(label);
            range.setStartAfter(label.querySelector('input'));
            const input = label.closest('form').querySelector('input[name=per-message]');
            return [
                rect(label.querySelector('input').getBoundingClientRect()),
                rect(range.getBoundingClientRect()),
                rect(input.getBoundingClientRect()),
            ];
        }""",
        check.element_handle(),
    )
    assert abs(middle(tick) - middle(text)) <= 3, (tick, text)
    assert tick["x"] + tick["width"] <= text["x"], "the box is not before its words"
    # ... and on the line of the inputs beside it.
    assert abs(middle(tick) - middle(beside)) <= 3, (tick, beside)
    shot(page, f"layout-upper-check-{lang(page)}")


def open_on_wall(page: Page, cameras: int) -> None:
    tree = page.get_by_role("tree")
    for camera in CAMERAS[:cameras]:
        tree.locator(f"[data-id='{camera.id}']").first.dblclick()
    expect(page.locator(".cell .player[data-stage=play]")).to_have_count(cameras, timeout=30_000)


def test_ptz_speed_label_and_slider_share_a_line(page: Page, demo: Demo) -> None:
    log_in(page, demo)
    open_on_wall(page, 1)  # the first demo camera is a dome
    page.locator(".cell[data-cell='0']").click()  # its cell active: the PTZ panel shows
    panel = page.locator("aside.ptz")
    slider = panel.locator("input[type=range]")
    label = panel.locator(".ptz-speed label")
    expect(label).to_be_visible()
    expect(panel.get_by_label(label.inner_text(), exact=True)).to_have_attribute("type", "range")
    expect(panel.locator(".ptz-speed-value")).to_have_text("128")
    assert abs(middle(box(label)) - middle(box(slider))) <= 3
    assert box(label)["x"] + box(label)["width"] <= box(slider)["x"] + SLACK
    presets = box(panel.locator(".preset-list h4"))
    assert presets["y"] >= box(slider)["y"] + box(slider)["height"], "presets heading overlaps"
    shot(page, f"layout-ptz-{lang(page)}")


def test_stats_fit_in_a_sixteen_cell_wall(page: Page, demo: Demo) -> None:
    log_in(page, demo)
    page.locator("button[data-layout='16']").click()
    open_on_wall(page, 4)
    players = page.locator(".cell .player[data-stage=play]")
    for i in range(players.count()):
        players.nth(i).locator(".player-tools button[aria-pressed]").click()
    expect(page.locator(".cell .player-stats")).to_have_count(4)
    for i in range(players.count()):
        player = players.nth(i)
        frame = box(player)
        stats = player.locator(".player-stats")
        overflow = stats.evaluate(
            "(e) => [e.scrollWidth - e.clientWidth, e.scrollHeight - e.clientHeight]"
        )
        assert overflow == [0, 0], f"cell {i}: the stats overflow by {overflow}"
        shown = box(stats)
        right = frame["x"] + frame["width"]
        assert shown["x"] >= frame["x"] and shown["x"] + shown["width"] <= right, f"cell {i}"
        assert shown["height"] <= 0.4 * frame["height"], f"cell {i}: the stats cover the video"
        assert not overlaps(shown, box(player.locator(".player-title"))), f"cell {i}: title"
        tools = player.locator(".player-tools button")
        tops = {round(box(tools.nth(b))["y"]) for b in range(tools.count())}
        assert len(tops) == 1, f"cell {i}: the tools wrap"
        tool_box = box(player.locator(".player-tools"))
        assert tool_box["x"] >= frame["x"], f"cell {i}: the tools stick out of the cell"
        assert not overlaps(shown, tool_box), f"cell {i}: the stats cover the tools"
    shot(page, f"layout-wall16-{lang(page)}")


def test_upper_platform_actions_stay_on_one_line(page: Page, demo: Demo) -> None:
    """Three buttons beside a long last error: the column the issue saw wrap."""
    body = {
        "sip_id": "34020000002000000066",
        "domain": "3402000000",
        "host": "127.0.0.1",
        "port": 9,  # discard: the link fails and shows its reason
        "password": "Upper-Link-Pass-6",
    }
    created = demo.api("POST", "/upper-platforms", json=body)
    assert created.status_code == 201, created.text
    try:
        log_in(page, demo)
        page.goto(f"{demo.url}/platforms/upper")
        cell = page.locator(f"tr[data-id='{body['sip_id']}'] td.actions")
        buttons = cell.locator("button")
        expect(buttons).to_have_count(3)
        tops = {round(box(buttons.nth(b))["y"]) for b in range(3)}
        assert len(tops) == 1, f"the buttons wrap ({sorted(tops)})"
        assert box(buttons.last)["x"] + box(buttons.last)["width"] <= WIDTH
        shot(page, f"layout-actions-upper-{lang(page)}")
    finally:
        demo.api("DELETE", f"/upper-platforms/{created.json()['id']}")
