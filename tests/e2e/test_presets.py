"""The dome's presets from the live wall: set the current view as one, call it, delete it; the
list is what the camera reports, and each action reaches the camera and the audit log."""

from __future__ import annotations

import json

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Demo, log_in, shot
from vigil.demo import CAMERAS, PRESETS

DOME = CAMERAS[0]


def audited_presets(demo: Demo) -> list[dict[str, object]]:
    """The dome's ``device.preset`` audit records, oldest first, as the auditor reads them."""
    token = demo.token(*demo.auditor)
    response = httpx.get(
        f"{demo.url}/api/v1/audit",
        params={"action": "device.preset", "channel_id": DOME.id},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    return [json.loads(r["detail"]) for r in reversed(response.json()["items"])]


def test_presets_are_set_called_and_deleted_from_the_wall(page: Page, demo: Demo) -> None:
    assert DOME.ptz_type == 1  # a dome: the wall offers PTZ and presets
    before = audited_presets(demo)
    log_in(page, demo)
    page.get_by_role("tree").locator(f"[data-id='{DOME.id}']").dblclick()
    page.locator(".cell[data-cell='0']").click()  # the dome's cell is the active one
    panel = page.get_by_role("complementary", name="云台控制")
    names = panel.locator(".preset-name")
    held = [f"{number}. {name}" for number, name in PRESETS.items()]
    expect(names).to_have_text(held)

    panel.get_by_label("预置位号").fill("7")
    panel.get_by_role("button", name="设为预置位").click()
    status = panel.get_by_role("status")
    expect(status).to_have_text("已将当前画面设为预置位 7")
    expect(names).to_have_text([*held, "7. 预置位7"])  # as the camera now reports it
    shot(page, "presets")

    panel.get_by_role("button", name="调用预置位 预置位7").click()
    expect(status).to_have_text("已调用预置位 7")
    panel.get_by_role("button", name="删除预置位 预置位7").click()
    expect(status).to_have_text("已删除预置位 7")
    expect(names).to_have_text(held)

    reported = demo.api("GET", f"/channels/{DOME.id}/presets").json()["items"]
    assert [(p["id"], p["name"]) for p in reported] == list(PRESETS.items())
    done = audited_presets(demo)[len(before) :]
    assert done == [
        {"action": "set", "number": 7},
        {"action": "call", "number": 7},
        {"action": "delete", "number": 7},
    ]
