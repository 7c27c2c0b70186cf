"""The approvals page (审批) in a real browser: an export request made through the API by one
user shows up in another's inbox with its count (and the menu's pending badge), is approved
there, and the API then reads it approved, decided by that user; the requester sees it among
their own requests and cannot decide it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Demo, log_in, other_user, shot
from tests.e2e.recordings import CHANNEL, START


def test_a_request_is_approved_in_another_user_s_inbox(page: Page, demo: Demo) -> None:
    start = datetime.fromtimestamp(START, UTC)
    body = {
        "kind": "export",
        "channel_id": CHANNEL.id,
        "start": start.isoformat(),
        "end": (start + timedelta(minutes=2)).isoformat(),
        "purpose": "审批页面测试",
        "case_number": "案-77",
    }
    with other_user(demo) as requester:
        made = requester.api(demo, "POST", "/approvals", body)
        assert made.status_code == 201, made.text
        approval_id = made.json()["id"]
        pending = demo.api("GET", "/approvals?state=pending&limit=1").json()["counts"]["pending"]
        assert pending >= 1

        log_in(page, demo)
        badge = page.get_by_test_id("approval-badge")
        expect(badge).to_have_attribute("data-pending", str(pending))
        page.get_by_role("link", name="审批").click()
        counts = page.get_by_test_id("approval-counts")
        expect(counts.locator("button[data-state=pending]")).to_have_attribute(
            "data-count", str(pending)
        )
        row = page.get_by_test_id("approval-inbox").locator(f"tr[data-approval='{approval_id}']")
        expect(row).to_contain_text("审批页面测试")
        expect(row).to_contain_text("案-77")
        expect(row).to_contain_text(requester.username)
        expect(row).to_contain_text(CHANNEL.name)
        shot(page, "approvals-inbox")
        row.get_by_label("审批意见（可选）").fill("同意导出")
        row.get_by_role("button", name="批准").click()
        expect(page.get_by_role("status")).to_have_text(f"申请 #{approval_id}：已批准")
        # Approved, it leaves the pending list; the counts and the badge follow.
        expect(row).to_have_count(0)
        expect(counts.locator("button[data-state=pending]")).to_have_attribute(
            "data-count", str(pending - 1)
        )
        expect(badge).to_have_attribute("data-pending", str(pending - 1))
        counts.locator("button[data-state=approved]").click()
        expect(row).to_have_attribute("data-state", "approved")
        expect(row).to_contain_text("同意导出")
        shot(page, "approvals-approved")

        read = requester.api(demo, "GET", f"/approvals/{approval_id}").json()
        assert (read["state"], read["decided_by"], read["decision_note"]) == (
            "approved",
            demo.username,
            "同意导出",
        )

        # The requester sees it among their own requests, with nothing to decide.
        page.get_by_role("button", name="退出").click()
        log_in(page, demo, requester.username, requester.password)
        page.get_by_role("link", name="审批").click()
        own = page.get_by_test_id("approval-mine").locator(f"tr[data-approval='{approval_id}']")
        expect(own).to_have_attribute("data-state", "approved")
        inbox = page.get_by_test_id("approval-inbox")
        expect(inbox.locator(f"tr[data-approval='{approval_id}']")).to_have_count(0)
