"""The access policy in the console: a channel's sensitivity, a user's clearance and an access
window set through the pages, read back through the API."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Demo, log_in, other_user, shot
from vigil.demo import CAMERAS


def test_channel_sensitivity_is_set_in_the_console(page: Page, demo: Demo) -> None:
    camera = CAMERAS[1]
    log_in(page, demo)
    page.goto(demo.url + "/manage/channels")
    level = page.locator("tr", has_text=camera.id).get_by_role("combobox", name="敏感级别")
    expect(level).to_have_value("0")
    try:
        with page.expect_response(lambda r: r.url.endswith(f"/channels/{camera.id}/sensitivity")):
            level.select_option(label="机密")
        expect(level).to_have_value("3")
        assert demo.api("GET", f"/channels/{camera.id}").json()["sensitivity"] == 3
        shot(page, "channel-sensitivity")
    finally:
        demo.api("PUT", f"/channels/{camera.id}/sensitivity", json={"sensitivity": 0})


def test_user_clearance_is_set_in_the_console(page: Page, demo: Demo) -> None:
    with other_user(demo, "viewer") as viewer:
        log_in(page, demo)
        page.goto(demo.url + "/manage/users")
        row = page.locator("tr", has_text=viewer.username)
        clearance = row.get_by_role("combobox", name="查看权限级别")
        expect(clearance).to_have_value("0")
        with page.expect_response(lambda r: r.url.endswith(f"/users/{viewer.id}/clearance")):
            clearance.select_option(label="敏感")
        expect(clearance).to_have_value("2")
        assert demo.api("GET", f"/users/{viewer.id}").json()["clearance"] == 2
        shot(page, "user-clearance")


def test_an_access_window_is_added_checked_and_saved(page: Page, demo: Demo) -> None:
    before = demo.api("GET", "/access-windows").json()
    with other_user(demo, "viewer") as viewer:
        log_in(page, demo)
        page.get_by_role("link", name="访问时段").click()
        form = page.get_by_role("form", name="添加访问时段")
        form.get_by_role("combobox", name="适用对象").select_option(label="用户")
        form.get_by_role("combobox", name="用户").select_option(label=viewer.username)
        form.get_by_role("combobox", name="操作").select_option(label="录像导出")
        form.get_by_label("开始时间").fill("25:00")
        form.get_by_label("结束时间").fill("06:00")
        form.get_by_role("button", name="添加").click()
        expect(form.get_by_role("alert")).to_have_text("请输入 时:分（如 08:30）")
        form.get_by_label("开始时间").fill("22:00")
        form.get_by_label("周六").check()
        form.get_by_role("button", name="添加").click()
        row = page.locator("tbody tr", has_text=viewer.username)
        expect(row).to_contain_text("22:00–06:00")
        expect(row).to_contain_text("周六")
        expect(page.get_by_role("status")).to_have_text("有未保存的修改")
        try:
            page.get_by_role("button", name="保存全部时段").click()
            expect(page.get_by_role("status")).to_have_text("已保存")
            windows = demo.api("GET", "/access-windows").json()["windows"]
            mine = [w for w in windows if w["user_id"] == viewer.id]
            assert len(mine) == 1
            assert (mine[0]["action"], mine[0]["days"], mine[0]["role"]) == ("export", [6], None)
            assert (mine[0]["start"][:5], mine[0]["end"][:5]) == ("22:00", "06:00")
            shot(page, "access-windows")
            row.get_by_role("button", name="移除").click()
            page.get_by_role("button", name="保存全部时段").click()
            expect(page.get_by_role("status")).to_have_text("已保存")
            after = demo.api("GET", "/access-windows").json()["windows"]
            assert [w for w in after if w["user_id"] == viewer.id] == []
        finally:
            demo.api("PUT", "/access-windows", json=before)
