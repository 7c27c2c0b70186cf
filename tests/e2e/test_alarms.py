"""The alarm centre against the demo: a camera's GB/T 28181 alarm pops up on whatever page the
operator is on, the popup opens the alarm, the operator acknowledges it and closes it with notes,
the list shows it closed, and the audit log holds each step; a viewer (no alarms:handle) is told
politely that they may only look; nothing English is left in the Chinese page.

The camera is a simulated device of the test's own (``vigil.sim``, on an event loop in a thread
of the test process) registered to the demo's SIP endpoint; it sends the Alarm as the standard
says (MESSAGE, or NOTIFY to a subscriber). It and the viewer are deleted at the end.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Demo, log_in, open_page, set_purpose, shot
from tests.e2e.latin import findings
from tests.e2e.recordings import CHANNEL, START, ZONE
from tests.e2e.test_lower_platforms import Background
from tests.e2e.test_playback import wait_playing_near
from vigil.demo import DISTRICT
from vigil.sim import DeviceConfig, SimDevice, VideoSpec

DEVICE_ID = "34010400001180000009"  # IDs of its own: none collides with the demo's
CHANNEL_ID = "34010400001320000009"  # its one camera (vigil.sim.catalog.channel_id)
PASSWORD = "Alarm-Camera-Pass-9"
VIEWER = ("alarm.viewer", "Alarm-Viewer-Pass-2026")
CONTRAST = (Path(__file__).parent / "contrast.js").read_text()


@dataclass
class Camera:
    sim: SimDevice
    background: Background

    def raise_alarm(self) -> None:
        self.background.run(self.sim.raise_alarm(CHANNEL_ID, priority=1, method=5, alarm_type=2))


def _wait_for_channel(demo: Demo) -> None:
    deadline = time.monotonic() + 20
    while demo.api("GET", f"/channels/{CHANNEL_ID}").status_code != 200:
        assert time.monotonic() < deadline, "the camera's catalog was not imported in time"
        time.sleep(0.2)


@pytest.fixture
def camera(demo: Demo) -> Iterator[Camera]:
    body = {"id": DEVICE_ID, "name": "报警测试摄像机", "organisation_id": DISTRICT}
    created = demo.api("POST", "/devices", json=body)
    assert created.status_code == 201, created.text
    config = DeviceConfig(
        device_id=DEVICE_ID,
        server=("127.0.0.1", demo.sip_port),
        password=PASSWORD,
        channels=1,
        keepalive_interval=2.0,
        video=VideoSpec(width=320, height=180, bitrate=200_000, loop_seconds=0.8, gop_seconds=0.4),
    )
    sim = SimDevice(config)
    background = Background()
    try:
        answer = demo.api("PUT", f"/devices/{DEVICE_ID}/password", json={"password": PASSWORD})
        assert answer.status_code == 204, answer.text
        background.run(sim.start())
        background.run(sim.wait_registered(15))
        _wait_for_channel(demo)
        yield Camera(sim, background)
    finally:
        background.run(sim.stop())
        background.close()
        demo.api("DELETE", f"/devices/{DEVICE_ID}")


@pytest.fixture
def viewer(demo: Demo) -> Iterator[tuple[str, str]]:
    username, password = VIEWER
    body = {"username": username, "password": password, "role": "viewer", "scopes": [DISTRICT]}
    created = demo.api("POST", "/users", json=body)
    assert created.status_code == 201, created.text
    try:
        yield VIEWER
    finally:
        demo.api("DELETE", f"/users/{created.json()['id']}")


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with open_page(browser) as fresh:
        yield fresh


def _readable(page: Page, name: str) -> None:
    """No English in the Chinese page, readable contrast (WCAG 2.x), and a screenshot."""
    assert findings(page) == []
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.mouse.move(0, 0)
    result = page.evaluate(CONTRAST)
    assert result["measured"] >= 10 and result["failures"] == [], result["failures"]
    shot(page, name)


def _audit(demo: Demo, alarm_id: int) -> list[dict[str, Any]]:
    """The audit log's records of the alarm, oldest first, as the demo's auditor reads them."""
    token = demo.token(*demo.auditor)
    response = httpx.get(
        f"{demo.url}/api/v1/audit",
        headers={"Authorization": f"Bearer {token}"},
        params={"channel_id": CHANNEL_ID, "limit": 500},
    )
    assert response.status_code == 200, response.text
    mine = [r for r in response.json()["items"] if r["resource"] == f"alarm:{alarm_id}"]
    return sorted(mine, key=lambda r: r["seq"])


def test_popup_acknowledge_close_and_audit(
    page: Page, demo: Demo, camera: Camera, viewer: tuple[str, str], browser: Browser
) -> None:
    log_in(page, demo)
    page.get_by_role("link", name="设备").click()  # any page: the popup is everywhere
    badge = page.get_by_test_id("alarm-badge")
    expect(badge).to_be_visible()
    before = int(badge.get_attribute("data-new") or "0")

    camera.raise_alarm()
    toast = page.get_by_role("alert").filter(has_text="新报警")
    expect(toast).to_be_visible(timeout=15_000)
    expect(toast).to_contain_text("视频报警（类型 2）")
    expect(toast).to_contain_text(CHANNEL_ID)
    expect(toast).to_contain_text("一级（紧急）")
    expect(badge).to_have_attribute("data-new", str(before + 1))
    alarm_id = int(toast.get_attribute("data-alarm") or "0")
    _readable(page, "alarms-popup")

    toast.get_by_role("link", name="查看报警").focus()  # by keyboard
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/alarms\?alarm={alarm_id}$"))
    expect(toast).to_have_count(0)  # opened: the popup is gone
    detail = page.get_by_test_id("alarm-detail")
    expect(detail).to_have_attribute("data-state", "new")
    expect(detail).to_contain_text("该报警没有抓图")  # a device alarm carries no picture
    clip = detail.get_by_role("link", name=re.compile("回放报警录像"))
    expect(clip).to_have_attribute("href", re.compile(rf"^/playback\?channel={CHANNEL_ID}&at="))

    detail.get_by_label("处置备注").fill("已派人到现场查看")
    detail.get_by_role("button", name="确认报警").click()
    expect(detail).to_have_attribute("data-state", "acknowledged")
    expect(detail.get_by_role("status")).to_have_text(f"报警 {alarm_id} 已确认")
    expect(detail.get_by_role("button", name="确认报警")).to_be_disabled()
    expect(badge).to_have_attribute("data-new", str(before))

    detail.get_by_label("处置备注").fill("误报：树枝晃动")
    page.once("dialog", lambda dialog: dialog.accept())
    detail.get_by_role("button", name="关闭报警").click()
    expect(detail).to_have_attribute("data-state", "closed")
    expect(detail.get_by_test_id("alarm-note")).to_have_text(["已派人到现场查看", "误报：树枝晃动"])
    row = page.get_by_test_id("alarms").locator(f"tr[data-alarm='{alarm_id}']")
    expect(row).to_have_attribute("data-state", "closed")
    expect(row.locator("td[data-state]")).to_have_text("已关闭")
    _readable(page, "alarms-closed")

    form = page.get_by_role("form", name="筛选报警")
    form.get_by_label("处置状态").select_option("closed")
    form.get_by_label("摄像机").select_option(CHANNEL_ID)
    form.get_by_role("button", name="查询").click()
    rows = page.get_by_test_id("alarms").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-alarm", str(alarm_id))
    form.get_by_label("处置状态").select_option("new")
    form.get_by_role("button", name="查询").click()
    expect(rows).to_have_count(0)

    steps = [(r["action"], r["actor"], r["outcome"]) for r in _audit(demo, alarm_id)]
    assert steps == [
        ("alarm.raise", f"device:{DEVICE_ID}", "ok"),
        ("alarm.acknowledge", demo.username, "ok"),
        ("alarm.close", demo.username, "ok"),
    ]

    notes = [str(r["detail"]) for r in _audit(demo, alarm_id)[1:]]
    assert "已派人到现场查看" in notes[0] and "误报：树枝晃动" in notes[1]

    # A viewer gets the popup of an alarm in their scope, and is told why they cannot handle it.
    with open_page(browser) as other:
        log_in(other, demo, *viewer)
        camera.raise_alarm()
        popup = other.get_by_role("alert").filter(has_text="新报警")
        expect(popup).to_be_visible(timeout=15_000)
        popup.get_by_role("link", name="查看报警").click()
        seen = other.get_by_test_id("alarm-detail")
        expect(seen).to_have_attribute("data-state", "new")
        expect(seen.get_by_role("note")).to_contain_text("您没有“处置报警”权限")
        expect(seen.get_by_role("button", name="确认报警")).to_have_count(0)
        expect(seen.get_by_role("button", name="关闭报警")).to_have_count(0)
        _readable(other, "alarms-viewer")
        other.get_by_role("button", name="English").click()
        expect(seen.get_by_role("note")).to_contain_text("the permission “handle alarms”")
        expect(seen).to_contain_text("Video alarm (type 2)")
        shot(other, "alarms-viewer-en")


def test_the_clip_link_plays_from_the_alarm_s_time(browser: Browser, demo: Demo) -> None:
    """The playback page at ``?at=`` (what an alarm's clip link opens): that instant's day, and
    the recording playing from it."""
    at = START + 600
    instant = datetime.fromtimestamp(at, UTC).isoformat()
    with open_page(browser, timezone_id=ZONE.key) as page:
        log_in(page, demo)
        page.goto(f"{demo.url}/playback?channel={CHANNEL.id}&at={instant.replace('+', '%2B')}")
        expect(page.get_by_test_id("purpose-prompt")).to_be_visible()  # no playback without it
        set_purpose(page)
        day = datetime.fromtimestamp(at, ZONE).date().isoformat()
        expect(page.get_by_label("日期")).to_have_value(day)
        wait_playing_near(page, at)
        expect(page.locator(".playback-video .player")).to_have_attribute("data-stage", "play")
