"""The upper platforms page against the demo: add one through the form (it points at a port
nobody answers on, so the page must show it unregistered with the link's last error), share a
camera under an outward ID through the share editor (a bad ID is refused before sending), check
the saved entries through the API, pass the contrast check, and delete it through the page."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Demo, log_in, shot
from vigil.demo import CAMERAS

SIP_ID = "34020000002000000077"
OUTWARD = "34020000001320000077"
CONTRAST = (Path(__file__).parent / "contrast.js").read_text()


def test_add_share_and_delete_an_upper_platform(page: Page, demo: Demo) -> None:
    log_in(page, demo)
    page.get_by_role("link", name="上级平台").click()
    form = page.get_by_role("form", name="添加上级平台")
    form.locator("input[name=sip-id]").fill(SIP_ID)
    form.locator("input[name=domain]").fill("3402000000")
    form.locator("input[name=host]").fill("127.0.0.1")
    form.locator("input[name=port]").fill("9")  # discard: no SIP there
    form.locator("input[name=password]").fill("Upper-Link-Pass-1")
    form.locator("input[name=keepalive]").fill("2")
    form.get_by_role("button", name="添加").click()
    line = page.locator(f"tr[data-id='{SIP_ID}']")
    try:
        expect(line.locator(".badge.off")).to_have_text("未注册")
        last_error = line.get_by_test_id("upper-last-error")  # the link's reason, in words
        unanswered = re.compile(r"^注册请求 \d+ 秒内未得到应答$")
        expect(last_error).to_have_text(unanswered, timeout=15_000)
        [row] = [p for p in demo.api("GET", "/upper-platforms").json() if p["sip_id"] == SIP_ID]
        assert row["registered"] is False and row["counters"]["register_failures"] >= 1

        line.get_by_role("button", name="共享目录").click()
        shares = page.get_by_test_id("upper-shares")
        camera = CAMERAS[0].id
        shares.locator(f"tr[data-id='{camera}']").get_by_role("checkbox").check()
        outward = shares.get_by_label(f"通道 {camera} 的外发编码")
        outward.fill("3402")
        expect(shares.get_by_role("alert")).to_be_visible()
        expect(shares.get_by_role("button", name="保存共享")).to_be_disabled()
        outward.fill(OUTWARD)
        shares.get_by_role("button", name="保存共享").click()
        expect(shares.get_by_role("alert")).to_have_count(0)

        def saved() -> list[dict[str, object]]:
            entries: list[dict[str, object]] = demo.api(
                "GET", f"/upper-platforms/{row['id']}/shares"
            ).json()["entries"]
            return entries

        for _ in range(50):  # the PUT lands shortly after the click
            if saved():
                break
            page.wait_for_timeout(100)
        assert saved() == [
            {"kind": "channel", "target_id": camera, "outward_id": OUTWARD, "parent_group_id": None}
        ]

        page.mouse.move(0, 0)
        result = page.evaluate(CONTRAST)
        assert result["measured"] >= 20 and result["failures"] == []
        shot(page, "upper-platforms-shares")

        page.once("dialog", lambda dialog: dialog.accept())
        line.get_by_role("button", name="删除").click()
        expect(line).to_have_count(0)
        assert demo.api("GET", f"/upper-platforms/{row['id']}").status_code == 404
    finally:
        for platform in demo.api("GET", "/upper-platforms").json():
            if platform["sip_id"] == SIP_ID:
                demo.api("DELETE", f"/upper-platforms/{platform['id']}")
