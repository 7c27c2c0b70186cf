"""The video search (录像检索) and channel shares (共享) pages in a real browser.

The search of the recorded camera over its recorded half hour (``tests.e2e.recordings``) finds it
on record, and its span opens the playback page of that camera at its start; a search without a
purpose is never sent. A channel is shared in the console with a department under the admin's
share request that another user approved through the API; it is listed in force, a second share
is refused in words, and once revoked it leaves the list of shares in force.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, Request, expect

from tests.e2e.conftest import Demo, log_in, open_page, other_user, shot
from tests.e2e.recordings import CHANNEL, SECONDS, START, ZONE

MINUTE = "%Y-%m-%dT%H:%M"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with open_page(browser, timezone_id=ZONE.key) as fresh:
        yield fresh


def test_a_search_finds_the_recorded_span_and_opens_its_playback(page: Page, demo: Demo) -> None:
    searches: list[Request] = []
    page.on("request", lambda r: searches.append(r) if r.url.endswith("/search/video") else None)
    log_in(page, demo)
    page.get_by_role("link", name="录像检索").click()
    form = page.get_by_role("form", name="检索条件")
    form.get_by_label("通道（可多选）").select_option(CHANNEL.id)
    start = datetime.fromtimestamp(START, ZONE)
    form.get_by_label("开始时间").fill((start - timedelta(hours=1)).strftime(MINUTE))
    form.get_by_label("结束时间").fill((start + timedelta(hours=1)).strftime(MINUTE))

    form.get_by_role("button", name="检索").click()  # no purpose: the form says so, sends nothing
    expect(form.get_by_role("alert")).to_have_text("请填写用途")
    expect(form.get_by_label("用途", exact=True)).to_have_attribute("aria-invalid", "true")
    assert searches == []

    form.get_by_label("用途", exact=True).fill("端到端测试检索")
    form.get_by_role("button", name="检索").click()
    hits = page.locator(f"section.search-hits[data-channel='{CHANNEL.id}']")
    expect(hits.get_by_test_id("recorded")).to_have_text(f"已录像 {SECONDS // 60} 分钟")
    assert [(r.post_data_json or {}).get("purpose") for r in searches] == ["端到端测试检索"]
    expect(hits.locator(".search-bar .span.recorded")).to_have_count(1)
    span = hits.locator(".search-spans a")
    expect(span).to_have_count(1)
    at = datetime.fromisoformat(str(span.get_attribute("data-at")))
    assert at.timestamp() == START
    shot(page, "video-search")

    span.click()
    expect(page).to_have_url(re.compile(rf"/playback\?channel={CHANNEL.id}&at="))
    expect(page.locator("#playback-title")).to_have_text(f"录像回放 · {CHANNEL.name}")
    expect(page.get_by_label("日期")).to_have_value(start.date().isoformat())


def test_a_channel_is_shared_under_an_approval_and_revoked(page: Page, demo: Demo) -> None:
    org_id = f"3499{secrets.randbelow(10**6):06d}"
    org = {"id": org_id, "name": "交警总队演练", "kind": "department", "parent_id": "34"}
    assert demo.api("POST", "/organisations", json=org).status_code == 201
    try:
        ask = {"kind": "share", "channel_id": CHANNEL.id, "purpose": "联合交通整治"}
        asked = demo.api("POST", "/approvals", json=ask)
        assert asked.status_code == 201, asked.text
        approval_id = asked.json()["id"]
        with other_user(demo) as approver:  # nobody approves their own request
            approved = approver.api(demo, "POST", f"/approvals/{approval_id}/approve", {})
            assert approved.status_code == 200, approved.text
            share_in_console(page, demo, org_id, approval_id, approver.username)
    finally:
        demo.api("DELETE", f"/organisations/{org_id}")


def share_in_console(page: Page, demo: Demo, org_id: str, approval_id: int, approver: str) -> None:
    log_in(page, demo)
    page.get_by_role("link", name="共享", exact=True).click()
    form = page.get_by_role("form", name="共享通道")
    form.get_by_label("通道", exact=True).select_option(CHANNEL.id)
    form.get_by_label("共享给").select_option(org_id)
    # The newest approved share request is chosen, its purpose put in.
    expect(form.get_by_label("已批准的共享申请")).to_have_value(str(approval_id))
    expect(form.get_by_label("用途", exact=True)).to_have_value("联合交通整治")
    form.get_by_label("案件编号（可选）").fill("案-2026-88")
    form.get_by_role("button", name="共享", exact=True).click()
    expect(form.get_by_test_id("share-status")).to_contain_text("已共享给 交警总队演练")

    row = page.get_by_test_id("shares").locator(f"tr[data-organisation='{org_id}']")
    expect(row).to_have_attribute("data-state", "inForce")
    for text in (CHANNEL.name, "交警总队演练", approver, "联合交通整治", "案-2026-88", "生效中"):
        expect(row).to_contain_text(text)
    listed = demo.api("GET", f"/shares?channel_id={CHANNEL.id}").json()["items"]
    assert [(s["organisation_id"], s["approval_id"]) for s in listed] == [(org_id, approval_id)]
    shot(page, "shares-in-force")

    form.get_by_role("button", name="共享", exact=True).click()  # again: the server refuses
    expect(form.get_by_test_id("server-error")).to_have_text("该通道已共享给此部门")

    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="撤销共享").click()
    expect(page.get_by_test_id("shares-status")).to_contain_text("已撤销")
    expect(row).to_have_count(0)
    assert demo.api("GET", f"/shares?channel_id={CHANNEL.id}").json()["items"] == []

    page.get_by_label("包括已结束的共享").check()
    expect(row).to_have_attribute("data-state", "revoked")
    expect(row).to_contain_text(demo.username)
