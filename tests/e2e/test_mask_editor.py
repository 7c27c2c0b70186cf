"""Privacy masks in the console against the demo: the mask editor opened from the channels page
over the camera's snapshot, an outline drawn with the mouse (closed by clicking its first
corner), labelled, made permanent and saved; the API holds it at the fractions drawn (± 0.01)
and a reload draws it again; a crossed outline is refused in words before any request and
deleted; a user without users:manage sees the masks read-only. On the live wall the masked
camera says "masked (1)", an unmask request filed from the player is approved by another user,
and the view reopened under it says "unmasked under approval #N". A recorded camera's playback
says "masked (1)" too, and reopens unmasked under an approved request (audited). The pages read
well (contrast) and in Chinese only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Demo, log_in, open_page, other_user, set_purpose, shot
from tests.e2e.drawing import at, close
from tests.e2e.latin import findings
from tests.e2e.recordings import CHANNEL, START, ZONE
from vigil.demo import CAMERAS

CAMERA = CAMERAS[4]
CONTRAST = (Path(__file__).parent / "contrast.js").read_text()
OUTLINE = [(0.15, 0.2), (0.55, 0.2), (0.55, 0.6), (0.15, 0.6)]
BOW_TIE = [(0.6, 0.6), (0.9, 0.9), (0.9, 0.6), (0.6, 0.9)]
WINDOW = {"label": "北侧窗户", "points": [[0.1, 0.1], [0.4, 0.1], [0.4, 0.4]], "permanent": False}


@pytest.fixture
def unmasked(demo: Demo) -> Iterator[None]:
    """The camera starts and ends the test without masks (other tests watch it plain)."""
    assert demo.api("PUT", f"/channels/{CAMERA.id}/masks", {"masks": []}).status_code == 200
    yield
    assert demo.api("PUT", f"/channels/{CAMERA.id}/masks", {"masks": []}).status_code == 200


def _masks(demo: Demo) -> list[dict[str, Any]]:
    response = demo.api("GET", f"/channels/{CAMERA.id}/masks")
    assert response.status_code == 200, response.text
    masks: list[dict[str, Any]] = response.json()["masks"]
    return masks


def _drawn(page: Page, key: str) -> list[list[float]]:
    """The corners of a drawn mask, back in fractions of the overlay."""
    box = page.get_by_test_id("mask-overlay").bounding_box()
    assert box is not None
    raw = page.locator(f"polygon[data-mask='{key}']").get_attribute("points") or ""
    pairs = [tuple(map(float, p.split(","))) for p in raw.split()]
    return [[x / box["width"], y / box["height"]] for x, y in pairs]


def _reads_well(page: Page, name: str) -> None:
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.mouse.move(0, 0)
    result = page.evaluate(CONTRAST)
    assert result["failures"] == [], result["failures"]
    assert findings(page) == [], name


@pytest.mark.usefixtures("unmasked")
def test_draw_save_and_reload_a_mask(page: Page, demo: Demo) -> None:
    log_in(page, demo)
    page.goto(demo.url + "/manage/channels")
    row = page.locator("tr", has_text=CAMERA.id)
    row.get_by_role("link", name=re.compile("隐私遮挡")).click()
    expect(page).to_have_url(re.compile(rf"/manage/masks\?channel={CAMERA.id}$"))
    expect(page.get_by_role("heading", name=f"隐私遮挡：{CAMERA.name}")).to_be_visible()
    stage = page.locator(".mask-stage")
    expect(stage).to_have_attribute("data-picture", "shown", timeout=20_000)
    expect(page.get_by_text("尚无遮挡区域")).to_be_visible()
    overlay = page.get_by_test_id("mask-overlay")

    # Four corners, then a click on the first closes the outline.
    page.get_by_role("button", name="添加遮挡区域").click()
    expect(page.get_by_test_id("mask-hint")).to_contain_text("点击第一个点")
    for point in OUTLINE:
        page.mouse.click(*at(overlay, point))
    expect(page.get_by_test_id("mask-pending").locator("circle")).to_have_count(4)
    page.mouse.click(*at(overlay, OUTLINE[0]))
    expect(page.get_by_test_id("mask-pending")).to_have_count(0)
    expect(page.locator("polygon[data-mask='mask-1']")).to_be_visible()
    form = page.get_by_role("form", name="遮挡 1")
    form.get_by_label("名称").fill("便利店门口")
    form = page.get_by_role("form", name="便利店门口")
    form.get_by_label("永久遮挡").check()
    expect(form.get_by_test_id("mask-points")).to_have_text("4 个顶点")

    # A crossed outline (closed with the Finish button) is refused before any request, then
    # deleted.
    page.get_by_role("button", name="添加遮挡区域").click()
    for point in BOW_TIE:
        page.mouse.click(*at(overlay, point))
    page.get_by_role("button", name="完成").click()
    expect(page.locator("polygon[data-mask='mask-2']")).to_be_visible()
    page.get_by_role("button", name="保存全部遮挡").click()
    expect(page.get_by_role("alert").filter(has_text="“遮挡 2”：区域边界自相交")).to_be_visible()
    assert _masks(demo) == []
    shot(page, "masks-crossed")
    page.get_by_role("form", name="遮挡 2").get_by_role("button", name="删除遮挡").click()
    expect(page.locator("polygon[data-mask='mask-2']")).to_have_count(0)

    page.get_by_role("button", name="保存全部遮挡").click()
    expect(page.get_by_test_id("masks-state")).to_have_text("已保存")
    (saved,) = _masks(demo)
    assert (saved["label"], saved["permanent"], saved["preset"]) == ("便利店门口", True, None)
    assert close(saved["points"], OUTLINE), saved["points"]
    expect(stage).to_have_attribute("data-picture", "shown", timeout=20_000)
    shot(page, "masks-saved")
    _reads_well(page, "masks")

    # A reload draws what the server holds.
    page.reload()
    expect(stage).to_have_attribute("data-picture", "shown", timeout=20_000)
    expect(page.locator("polygon[data-mask='mask-1']")).to_be_visible()
    assert close(_drawn(page, "mask-1"), OUTLINE), _drawn(page, "mask-1")
    expect(page.get_by_test_id("masks-list")).to_contain_text("便利店门口 · 永久")
    expect(page.locator("polygon[data-mask='mask-1']")).to_have_class(re.compile("permanent"))


@pytest.mark.usefixtures("unmasked")
def test_masks_are_read_only_without_users_manage(page: Page, demo: Demo) -> None:
    assert demo.api("PUT", f"/channels/{CAMERA.id}/masks", {"masks": [WINDOW]}).status_code == 200
    with other_user(demo) as operator:
        log_in(page, demo, operator.username, operator.password)
        page.goto(f"{demo.url}/manage/masks?channel={CAMERA.id}")
        expect(page.locator("polygon[data-mask='mask-1']")).to_be_visible()
        expect(page.get_by_test_id("masks-read-only")).to_be_visible()
        expect(page.get_by_role("button", name="添加遮挡区域")).to_have_count(0)
        expect(page.get_by_role("button", name="保存全部遮挡")).to_have_count(0)
        expect(page.get_by_role("textbox", name="名称")).to_have_count(0)
        expect(page.locator(".mask-form.read-only")).to_contain_text("北侧窗户")


@pytest.mark.usefixtures("unmasked")
def test_live_view_says_masked_and_unmasks_under_approval(page: Page, demo: Demo) -> None:
    assert demo.api("PUT", f"/channels/{CAMERA.id}/masks", {"masks": [WINDOW]}).status_code == 200
    log_in(page, demo)
    page.get_by_role("tree").locator(f"[data-id='{CAMERA.id}']").dblclick()
    player = page.locator(f".cell .player[data-channel='{CAMERA.id}']")
    badge = player.get_by_test_id("mask-badge")
    expect(badge).to_have_text("已遮挡（1）", timeout=20_000)
    expect(badge).to_have_attribute("data-masks", "1")

    # The player files an unmask request; another user approves it.
    player.get_by_role("button", name="解除遮挡…").click()
    panel = player.get_by_test_id("unmask-panel")
    expect(panel.get_by_text("本通道没有已批准的解除遮挡申请")).to_be_visible()
    ask = panel.get_by_role("form", name="申请解除遮挡")
    ask.locator("input[name=ask-purpose]").fill("核查店门口纠纷")
    ask.get_by_role("button", name="申请解除遮挡").click()
    expect(panel.get_by_test_id("unmask-asked")).to_contain_text("已提交申请")
    (request,) = [
        r
        for r in demo.api("GET", "/approvals?mine=true&state=pending").json()["items"]
        if r["kind"] == "unmask" and r["channel_id"] == CAMERA.id
    ]
    assert request["purpose"] == "核查店门口纠纷"
    expect(panel.locator(f"[data-approval='{request['id']}']")).to_contain_text("待审批")
    with other_user(demo) as decider:
        decided = decider.api(demo, "POST", f"/approvals/{request['id']}/approve", {"note": None})
        assert decided.status_code == 200, decided.text

    # Refreshed, the approved request is chosen with its purpose; the view reopens unmasked.
    panel.get_by_role("button", name="刷新").click()
    grant = panel.get_by_role("radio", name=re.compile(rf"#{request['id']}"))
    expect(grant).to_be_checked()
    expect(panel.locator("input[name=unmask-purpose]")).to_have_value("核查店门口纠纷")
    shot(page, "masks-unmask-panel")
    panel.get_by_role("button", name="解除遮挡查看").click()
    expect(badge).to_have_text(f"已解除遮挡（审批 #{request['id']}）", timeout=20_000)
    expect(player.get_by_role("button", name="解除遮挡…")).to_have_count(0)
    shot(page, "masks-unmasked")

    # Masked again on asking.
    player.get_by_role("button", name="恢复遮挡").click()
    expect(badge).to_have_text("已遮挡（1）", timeout=20_000)


@pytest.fixture
def recorded_unmasked(demo: Demo) -> Iterator[None]:
    """The recorded camera starts and ends the test without masks (the playback tests play it)."""
    path = f"/channels/{CHANNEL.id}/masks"
    assert demo.api("PUT", path, {"masks": []}).status_code == 200
    yield
    assert demo.api("PUT", path, {"masks": []}).status_code == 200


@pytest.fixture
def zoned_page(browser: Browser) -> Iterator[Page]:
    """A page in the recordings' zone, so the recorded day is the day the date field names."""
    with open_page(browser, timezone_id=ZONE.key) as fresh:
        yield fresh


@pytest.mark.usefixtures("recorded_unmasked")
def test_playback_says_masked_and_reopens_unmasked_under_approval(
    zoned_page: Page, demo: Demo
) -> None:
    page = zoned_page
    assert demo.api("PUT", f"/channels/{CHANNEL.id}/masks", {"masks": [WINDOW]}).status_code == 200
    ask = {"kind": "unmask", "channel_id": CHANNEL.id, "purpose": "回放核查", "case_number": "案-9"}
    filed = demo.api("POST", "/approvals", ask)
    assert filed.status_code == 201, filed.text
    approval = filed.json()["id"]
    with other_user(demo) as decider:
        decided = decider.api(demo, "POST", f"/approvals/{approval}/approve", {"note": None})
        assert decided.status_code == 200, decided.text

    log_in(page, demo)
    page.goto(f"{demo.url}/playback?channel={CHANNEL.id}")
    set_purpose(page)
    page.get_by_label("日期").fill(datetime.fromtimestamp(START, ZONE).date().isoformat())
    page.locator(".timeline .span.recorded").first.click()
    player = page.locator(".playback-video .player")
    expect(player).to_have_attribute("data-stage", "play", timeout=20_000)
    badge = player.get_by_test_id("mask-badge")
    expect(badge).to_have_text("已遮挡（1）")

    # The approved request is chosen with its purpose and case; the playback reopens under it.
    player.get_by_role("button", name="解除遮挡…").click()
    panel = player.get_by_test_id("unmask-panel")
    expect(panel.get_by_role("radio", name=re.compile(rf"#{approval}"))).to_be_checked()
    expect(panel.locator("input[name=unmask-purpose]")).to_have_value("回放核查")
    expect(panel.locator("input[name=unmask-case]")).to_have_value("案-9")
    panel.get_by_role("button", name="解除遮挡查看").click()
    expect(badge).to_have_text(f"已解除遮挡（审批 #{approval}）", timeout=20_000)
    expect(player).to_have_attribute("data-stage", "play", timeout=20_000)
    expect(player.get_by_role("button", name="解除遮挡…")).to_have_count(0)
    shot(page, "playback-unmasked")

    # The server audited the unmask under that approval (read by the demo's auditor).
    found = httpx.get(
        f"{demo.url}/api/v1/audit?action=video.unmask&channel_id={CHANNEL.id}",
        headers={"Authorization": f"Bearer {demo.token(*demo.auditor)}"},
    )
    assert found.status_code == 200, found.text
    details = [json.loads(r["detail"]) for r in found.json()["items"]]
    assert any(d.get("approval") == approval for d in details), details

    player.get_by_role("button", name="恢复遮挡").click()
    expect(badge).to_have_text("已遮挡（1）", timeout=20_000)
