"""Alarm linkage onto the live wall in a real browser: with a rule whose action is ``wall``, a
camera's GB/T 28181 alarm puts that camera into a free cell of the operator's open live wall,
marked with the alarm, and its video plays there within 10 s of the alarm; the alarm centre lists
the rule with its action in words.

The camera is a simulated device of the test's own (``vigil.sim``, on an event loop in a thread
of the test process) registered to the demo's SIP endpoint, as in test_alarms.py. The demo's
linkage rules are put back as they were, and the camera deleted, at the end.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Demo, log_in, shot
from tests.e2e.test_lower_platforms import Background
from vigil.demo import DISTRICT
from vigil.sim import DeviceConfig, SimDevice, VideoSpec

DEVICE_ID = "34010400001180000019"  # IDs of its own: none collides with the demo's
CHANNEL_ID = "34010400001320000019"  # its one camera (vigil.sim.catalog.channel_id)
PASSWORD = "Wall-Camera-Pass-19"
CONTRAST = (Path(__file__).parent / "contrast.js").read_text()


def _wait_for_channel(demo: Demo) -> None:
    deadline = time.monotonic() + 20
    while demo.api("GET", f"/channels/{CHANNEL_ID}").status_code != 200:
        assert time.monotonic() < deadline, "the camera's catalog was not imported in time"
        time.sleep(0.2)


@pytest.fixture
def camera(demo: Demo) -> Iterator[tuple[SimDevice, Background]]:
    body = {"id": DEVICE_ID, "name": "联动上墙摄像机", "organisation_id": DISTRICT}
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
        yield sim, background
    finally:
        background.run(sim.stop())
        background.close()
        demo.api("DELETE", f"/devices/{DEVICE_ID}")


@pytest.fixture
def wall_rule(demo: Demo) -> Iterator[None]:
    """A rule showing this camera's device alarms on every wall; the demo's rules restored after."""
    before: list[dict[str, Any]] = demo.api("GET", "/alarms/linkage").json()
    kept = [{k: r[k] for k in ("name", "source", "kind", "enabled", "actions")} for r in before]
    rule = {"name": "报警上墙", "source": "device", "actions": [{"type": "wall"}]}
    saved = demo.api("PUT", "/alarms/linkage", json={"rules": [*kept, rule]})
    assert saved.status_code == 200, saved.text
    try:
        yield
    finally:
        demo.api("PUT", "/alarms/linkage", json={"rules": kept})


def test_an_alarm_puts_its_camera_on_the_open_wall(
    page: Page, demo: Demo, camera: tuple[SimDevice, Background], wall_rule: None
) -> None:
    sim, background = camera
    log_in(page, demo)
    page.locator("button[data-layout='4']").click()
    expect(page.locator(".cell .player")).to_have_count(0)
    expect(page.locator(".socket")).to_have_text("实时更新")  # the events socket is live

    started = time.monotonic()
    background.run(sim.raise_alarm(CHANNEL_ID, priority=2, method=5, alarm_type=2))
    cell = page.locator(".cell[data-cell='0']")
    expect(cell.locator(".player")).to_have_attribute("data-channel", CHANNEL_ID, timeout=10_000)
    expect(cell.locator(".player")).to_have_attribute("data-stage", "play", timeout=10_000)
    elapsed = time.monotonic() - started
    assert elapsed < 10, elapsed
    expect(cell).to_have_class(re.compile(r"\balarm-linked level-2\b"))
    expect(cell.get_by_role("status")).to_have_text("联动报警：视频报警（类型 2）")
    moving = "document.querySelector(\".cell[data-cell='0'] video\").currentTime"
    before = page.evaluate(moving)
    page.wait_for_timeout(1500)
    assert page.evaluate(moving) > before  # the video advances
    page.mouse.move(0, 0)
    contrast = page.evaluate(CONTRAST)
    assert contrast["failures"] == [], contrast["failures"]  # the mark is readable (WCAG 2.x)
    shot(page, "alarm-wall")
    page.get_by_role("button", name="English").click()
    expect(cell.get_by_role("status")).to_have_text("Alarm: Video alarm (type 2)")

    # The alarm centre lists the rule with its action in words.
    page.get_by_role("button", name="中文").click()
    page.get_by_role("link", name=re.compile("^报警中心")).click()
    row = page.get_by_test_id("linkage-rules").locator("tr").filter(has_text="报警上墙")
    expect(row.locator("td").nth(1)).to_have_text("设备报警")
    expect(row.locator("li[data-action='wall']")).to_have_text("报警画面上墙")
