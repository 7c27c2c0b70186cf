"""Management forms, the audit viewer, the map, playback and the session, in a real browser."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Demo, log_in, set_purpose, shot
from vigil.demo import CAMERAS, ENCODER_CAMERAS, NVR_ID


def test_device_form_checks_the_id_and_shows_the_server_answer(page: Page, demo: Demo) -> None:
    log_in(page, demo)
    page.get_by_role("button", name="English").click()
    page.goto(demo.url + "/manage/devices")
    form = page.get_by_role("form", name="Add a device")
    device_id = form.locator("input[name=device-id]")
    device_id.fill("1234")
    expect(form.get_by_role("alert")).to_have_text("ID must be 20 digits, got 4 characters")
    device_id.fill("34010400002160000001")
    expect(form.get_by_role("alert")).to_have_text(
        "type code 216 is not a device (GB/T 28181 type codes 111–199, or 200 for a platform)"
    )
    expect(device_id).to_have_attribute("aria-invalid", "true")
    shot(page, "devices-invalid-id")
    device_id.fill(NVR_ID)  # valid by the rule, but taken: the server says so
    form.locator("input[name=device-name]").fill("duplicate")
    form.get_by_role("button", name="Add").click()
    expect(page.get_by_test_id("server-error")).to_have_text(f"Device {NVR_ID} already exists")
    new_id = "34010400001320009999"
    device_id.fill(new_id)
    form.locator("input[name=device-name]").fill("测试摄像机")
    form.get_by_role("button", name="Add").click()
    expect(page.locator("table")).to_contain_text(new_id)
    assert demo.api("GET", f"/devices/{new_id}").json()["name"] == "测试摄像机"
    shot(page, "devices")


def test_channel_editor_validates_and_saves(page: Page, demo: Demo) -> None:
    log_in(page, demo)
    page.goto(demo.url + "/manage/channels")
    camera = CAMERAS[1]
    page.locator("tr", has_text=camera.id).get_by_role("button", name="编辑").click()
    editor = page.get_by_role("form", name=re.compile("编辑通道"))
    editor.locator("input[name=heading]").fill("400")
    expect(editor.get_by_role("alert")).to_have_text("取值范围为 0 至 360")
    editor.locator("input[name=heading]").fill("135")
    editor.locator("input[name=key_area_category]").fill("广场")
    editor.get_by_role("button", name="保存").click()
    expect(editor).to_have_count(0)
    channel = demo.api("GET", f"/channels/{camera.id}").json()
    assert (channel["heading"], channel["key_area_category"]) == (135.0, "广场")
    demo.api("PATCH", f"/channels/{camera.id}", json={"heading": camera.heading})
    shot(page, "channels")


def test_organisation_form_checks_civil_codes(page: Page, demo: Demo) -> None:
    log_in(page, demo)
    page.goto(demo.url + "/manage/organisations")
    form = page.get_by_role("form", name="添加组织")
    form.locator("input[name=id]").fill("340")
    expect(form.get_by_role("alert")).to_have_text("行政区划代码为 2、4、6 或 8 位数字")
    shot(page, "organisations")


def test_auditor_filters_the_audit_log(page: Page, demo: Demo) -> None:
    password = "Auditor-E2E-Pass-1"
    body = {"username": "auditor1", "password": password, "role": "auditor"}
    assert demo.api("POST", "/users", json=body).status_code == 201
    log_in(page, demo, "auditor1", password)
    expect(page).to_have_url(re.compile(r"/$"))
    page.get_by_role("link", name="审计日志").click()
    rows = page.locator("tbody tr")
    expect(rows.first).to_be_visible()
    page.locator("select[name=action]").select_option("auth.login")
    page.locator("input[name=actor]").fill("auditor1")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("tbody tr:not([data-action='auth.login'])")).to_have_count(0)
    expect(page.locator("tbody tr:not([data-actor='auditor1'])")).to_have_count(0)
    expect(rows.first).to_have_attribute("data-action", "auth.login")
    expect(rows.first).to_contain_text("登录")
    expect(rows.first.locator("[data-outcome]")).to_have_text("成功")
    iso = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")  # in either language
    expect(rows.first.locator("td").nth(1)).to_have_text(iso)
    shot(page, "audit")
    page.get_by_role("button", name="English").click()
    expect(rows.first.locator("[data-outcome]")).to_have_text("Succeeded")
    expect(rows.first.locator("td").nth(1)).to_have_text(iso)
    page.get_by_role("button", name="中文").click()
    page.locator("input[name=actor]").fill("nobody-at-all")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_text("没有符合条件的记录")).to_be_visible()


def test_map_draws_each_camera_sector(page: Page, demo: Demo) -> None:
    log_in(page, demo)
    page.get_by_role("link", name="地图").click()
    placed = [c for c in CAMERAS + ENCODER_CAMERAS if c.heading is not None]
    expect(page.get_by_test_id("map")).to_have_attribute("data-ready", "true", timeout=20_000)
    expect(page.get_by_test_id("map")).to_have_attribute(
        "data-rendered-sectors", str(len(placed)), timeout=20_000
    )
    shot(page, "map")
    page.get_by_role("button", name=CAMERAS[0].name).click()
    expect(page.locator(".map-side .player")).to_have_attribute("data-channel", CAMERAS[0].id)


def test_playback_timeline_seeks(page: Page, demo: Demo) -> None:
    log_in(page, demo)
    page.goto(f"{demo.url}/playback?channel={CAMERAS[0].id}")
    set_purpose(page)
    timeline = page.get_by_role("slider", name="24 小时时间轴")
    expect(timeline).to_be_visible()
    expect(timeline.locator(".span").first).to_be_attached()
    box = timeline.bounding_box()
    assert box is not None
    timeline.click(position={"x": box["width"] * 0.5, "y": box["height"] / 2})
    expect(timeline).to_have_attribute("aria-valuenow", re.compile(r"^7[12]\d$"))  # about 12:00
    page.keyboard.press("PageUp")
    expect(timeline).to_have_attribute("aria-valuenow", re.compile(r"^7[78]\d$"))  # an hour on
    expect(page.locator(".playback-video .player")).to_have_attribute("data-channel", CAMERAS[0].id)
    shot(page, "playback")


def test_password_change_logout_and_expired_session(page: Page, demo: Demo) -> None:
    first, second = "Viewer-E2E-Pass-1", "Viewer-E2E-Pass-2"
    body = {"username": "viewer1", "password": first, "role": "viewer", "scopes": ["34"]}
    assert demo.api("POST", "/users", json=body).status_code == 201
    log_in(page, demo, "viewer1", first)
    page.get_by_role("link", name="修改密码").click()
    page.get_by_label("当前密码").fill(first)
    page.get_by_label("新密码", exact=True).fill(second)
    page.get_by_label("再次输入新密码").fill(second + "x")
    page.get_by_role("button", name="修改", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("两次输入的新密码不一致")
    page.get_by_label("再次输入新密码").fill(second)
    page.get_by_role("button", name="修改", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("密码已修改")
    shot(page, "password")
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("status")).to_have_text("您已退出登录")

    log_in(page, demo, "viewer1", second)
    token = page.evaluate("JSON.parse(sessionStorage.getItem('vigil.session')).token")
    headers = {"Authorization": f"Bearer {token}"}
    assert httpx.post(f"{demo.url}/api/v1/auth/logout", headers=headers).status_code == 204
    page.get_by_role("link", name="地图").click()  # the next request meets a dead token
    page.reload()
    expect(page.get_by_role("status")).to_have_text("会话已过期，请重新登录")
    shot(page, "session-expired")


def test_a_wrong_current_password_is_worded_and_the_session_stays(page: Page, demo: Demo) -> None:
    log_in(page, demo)
    page.get_by_role("link", name="修改密码").click()
    page.get_by_label("当前密码").fill("not-the-password")
    page.get_by_label("新密码", exact=True).fill("Another-Long-Secret-9")
    page.get_by_label("再次输入新密码").fill("Another-Long-Secret-9")
    page.get_by_role("button", name="修改", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("当前密码不正确")
    page.get_by_role("link", name="设备").click()  # still logged in: the API still answers
    expect(page.locator("tbody tr", has_text=NVR_ID)).to_be_visible()
