"""Every page of the console, each in a state with its messages showing (the server's refusals
among them): readable contrast (WCAG 2.x), nothing fetched from anywhere but the node itself,
no English in the Chinese console, and a screenshot of each.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Demo, log_in, open_page, running_demo, set_purpose, shot
from tests.e2e.latin import findings
from tests.e2e.recordings import CHANNEL, START, ZONE, seed_recordings
from vigil.demo import CAMERAS, ENCODER_CAMERAS

CONTRAST = (Path(__file__).parent / "contrast.js").read_text()
PAGES = [
    "login",
    "wall",
    "playback",
    "approvals",
    "shares",
    "video-search",
    "map",
    "organisations",
    "devices",
    "channels",
    "rules",
    "masks",
    "users",
    "access-windows",
    "reports",
    "availability",
    "faults",
    "work-orders",
    "lower-platforms",
    "upper-platforms",
    "password",
    "audit",
]


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with open_page(browser, timezone_id=ZONE.key) as fresh:
        yield fresh


def walk(page: Page, demo: Demo, visit: Callable[[str], None]) -> None:
    """Go through every page as an operator does, calling ``visit(name)`` once each is showing
    what it shows (video playing, the map drawn, a validation message)."""
    page.goto(demo.url + "/")
    page.fill("input[name=username]", demo.username)
    page.fill("input[name=password]", "not-the-password")
    page.click("form button[type=submit]")
    expect(page.get_by_test_id("login-error")).to_be_visible()
    visit("login")

    log_in(page, demo)
    for camera in CAMERAS[:2]:
        page.get_by_role("tree").locator(f"[data-id='{camera.id}']").dblclick()
    expect(page.locator(".cell .player[data-stage=play]")).to_have_count(2, timeout=20_000)
    page.locator(".cell .player").first.get_by_role("button", name="码流信息").click()
    expect(page.locator(".player-stats")).to_be_visible()
    visit("wall")

    page.get_by_role("link", name="录像回放").click()
    page.get_by_role("tree").locator(f"[data-id='{CHANNEL.id}']").dblclick()
    set_purpose(page)
    page.get_by_label("日期").fill(datetime.fromtimestamp(START, ZONE).date().isoformat())
    page.locator(".timeline .span.recorded").first.click()
    expect(page.locator(".playback-video .player")).to_have_attribute(
        "data-stage", "play", timeout=20_000
    )
    visit("playback")

    page.locator("form.export").get_by_role("button", name="申请导出审批").click()
    expect(page.get_by_test_id("export-approval")).to_have_attribute("data-state", "pending")
    page.get_by_role("link", name="审批").click()
    expect(page.get_by_test_id("approval-mine").locator("tbody tr").first).to_be_visible()
    visit("approvals")

    page.get_by_role("link", name="共享", exact=True).click()
    form = page.get_by_role("form", name="共享通道")  # no organisation chosen: the form says so
    form.get_by_label("通道", exact=True).select_option(CHANNEL.id)
    form.get_by_role("button", name="共享", exact=True).click()
    expect(form.get_by_role("alert")).to_have_text("请选择要共享给的组织")
    expect(page.get_by_test_id("shares")).to_be_visible()
    visit("shares")

    page.get_by_role("link", name="录像检索").click()
    form = page.get_by_role("form", name="检索条件")  # the recorded half hour found
    form.get_by_label("通道（可多选）").select_option(CHANNEL.id)
    recorded = datetime.fromtimestamp(START, ZONE)
    form.get_by_label("开始时间").fill((recorded - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label("结束时间").fill((recorded + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label("用途", exact=True).fill("页面巡检")
    form.get_by_role("button", name="检索").click()
    expect(page.locator(".search-spans a")).to_have_count(1)
    form.get_by_label("用途", exact=True).fill("")  # and then a search without a purpose
    form.get_by_role("button", name="检索").click()
    expect(form.get_by_role("alert")).to_have_text("请填写用途")
    visit("video-search")

    page.get_by_role("link", name="地图").click()
    expect(page.get_by_test_id("map")).to_have_attribute(
        "data-rendered-sectors", str(len(CAMERAS + ENCODER_CAMERAS)), timeout=20_000
    )
    page.get_by_role("button", name=CAMERAS[0].name).click()
    expect(page.locator(".map-side .player")).to_have_attribute(
        "data-stage", "play", timeout=20_000
    )
    visit("map")

    page.get_by_role("link", name="组织").click()
    page.once("dialog", lambda dialog: dialog.accept())  # a refused action: 3401 holds 340104
    page.locator("tr", has_text="合肥市").get_by_role("button", name="删除").click()
    expect(page.get_by_test_id("server-error")).to_be_visible()
    page.get_by_role("form", name="添加组织").locator("input[name=id]").fill("340")
    expect(page.get_by_role("alert")).to_have_count(2)
    visit("organisations")

    page.get_by_role("link", name="设备").click()
    form = page.get_by_role("form", name="添加设备")  # a request the server's schema refuses
    form.locator("input[name=device-id]").fill("34010400001320009998")
    form.locator("input[name=device-name]").fill("长" * 129)
    form.get_by_role("button", name="添加").click()
    expect(page.get_by_test_id("server-error")).to_have_text("名称：最多 128 个字符")
    form.locator("input[name=device-id]").fill("1234")
    expect(page.get_by_role("alert")).to_have_count(2)
    visit("devices")

    page.get_by_role("link", name="通道").click()
    page.locator("tr", has_text=CAMERAS[1].id).get_by_role("button", name="编辑").click()
    page.get_by_role("form", name=re.compile("编辑通道")).locator("input[name=heading]").fill("400")
    expect(page.get_by_role("alert")).to_be_visible()
    visit("channels")

    row = page.locator("tr", has_text=CAMERAS[1].id)
    row.get_by_role("link", name=re.compile("分析规则")).click()
    expect(page.locator(".rules-stage .player")).to_have_attribute(
        "data-stage", "play", timeout=20_000
    )
    page.get_by_role("button", name="添加区域").click()  # saved undrawn: the editor says so
    page.get_by_role("button", name="保存全部规则").click()
    expect(page.get_by_role("alert").filter(has_text="尚未绘制完成")).to_be_visible()
    visit("rules")

    page.get_by_role("link", name="通道").click()
    row = page.locator("tr", has_text=CAMERAS[1].id)
    row.get_by_role("link", name=re.compile("隐私遮挡")).click()
    expect(page).to_have_url(re.compile(rf"/manage/masks\?channel={CAMERAS[1].id}$"))
    expect(page.locator(".mask-stage")).to_have_attribute("data-picture", "shown", timeout=20_000)
    page.get_by_role("button", name="添加遮挡区域").click()  # a crossed outline, refused in words
    box = page.get_by_test_id("mask-overlay").bounding_box()
    assert box is not None
    for x, y in [(0.6, 0.6), (0.9, 0.9), (0.9, 0.6), (0.6, 0.9)]:
        page.mouse.click(box["x"] + x * box["width"], box["y"] + y * box["height"])
    page.get_by_role("button", name="完成").click()
    page.get_by_role("button", name="保存全部遮挡").click()
    expect(page.get_by_role("alert").filter(has_text="“遮挡 1”：区域边界自相交")).to_be_visible()
    visit("masks")

    page.get_by_role("link", name="用户").click()
    expect(page.locator("tbody tr").first).to_be_visible()
    form = page.get_by_role("form", name="添加用户")  # a bad submit: the server's password rule
    form.get_by_label("用户名").fill("weak.walker")
    form.get_by_label("密码").fill("abcdefghij")
    form.get_by_role("button", name="添加").click()
    expect(page.get_by_test_id("server-error")).to_be_visible()
    visit("users")

    page.get_by_role("link", name="访问时段").click()
    form = page.get_by_role("form", name="添加访问时段")  # a bad time: the form's rule
    form.get_by_label("开始时间").fill("8点")
    form.get_by_role("button", name="添加").click()
    expect(form.get_by_role("alert")).to_be_visible()
    visit("access-windows")

    page.get_by_role("link", name="指标报告").click()
    page.get_by_role("combobox", name="组织").select_option("3401")
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_test_id("report-children").locator("tbody tr")).to_have_count(1)
    visit("reports")

    page.get_by_role("link", name="完好率").click()
    expect(page.get_by_test_id("intact-groups").locator("tbody tr")).to_have_count(1)
    visit("availability")

    page.get_by_role("link", name="视频质量故障").click()
    page.get_by_role("combobox", name="状态").select_option("all")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("faults")).to_be_visible()
    visit("faults")

    page.get_by_role("link", name="维修工单").click()
    expect(page.get_by_test_id("repair-stats")).to_be_visible()
    visit("work-orders")

    page.get_by_role("link", name="下级平台").click()
    expect(page.get_by_test_id("lower-platforms").locator("caption")).to_be_visible()
    visit("lower-platforms")

    page.get_by_role("link", name="上级平台").click()
    expect(page.get_by_test_id("upper-platforms").locator("caption")).to_be_visible()
    page.get_by_role("form", name="添加上级平台").locator("input[name=sip-id]").fill("3402")
    expect(page.get_by_role("alert")).to_be_visible()
    visit("upper-platforms")

    page.get_by_role("link", name="修改密码").click()
    expect(page.get_by_test_id("password-rule")).to_contain_text("至少 10 个字符")
    page.get_by_label("新密码", exact=True).fill("Another-Long-Secret-9")
    page.get_by_label("再次输入新密码").fill("Another-Long-Secret-9")
    page.get_by_label("当前密码").fill("not-the-password")  # refused: the session stays
    page.get_by_role("button", name="修改", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("当前密码不正确")
    visit("password")

    page.get_by_role("button", name="退出").click()
    auditor, password = f"auditor-{secrets.token_hex(3)}", "Auditor-Walk-Pass-1"
    body = {"username": auditor, "password": password, "role": "auditor"}
    assert demo.api("POST", "/users", json=body).status_code == 201
    log_in(page, demo, auditor, password)
    page.get_by_role("link", name="审计日志").click()
    expect(page.locator("tbody tr").first).to_be_visible()
    visit("audit")


def test_every_page_has_readable_contrast(page: Page, demo: Demo) -> None:
    findings: dict[str, list[dict[str, object]]] = {}
    measured: dict[str, int] = {}

    def visit(name: str) -> None:
        page.evaluate("document.activeElement && document.activeElement.blur()")
        page.mouse.move(0, 0)  # no hover state on what is measured
        result = page.evaluate(CONTRAST)
        measured[name] = result["measured"]
        if result["failures"]:
            findings[name] = result["failures"]
        shot(page, f"page-{name}")

    walk(page, demo, visit)
    assert list(measured) == PAGES
    assert all(count >= 5 for count in measured.values()), measured  # the check saw the text
    report = [f"{name}: {finding}" for name, found in findings.items() for finding in found]
    assert report == [], "\n".join(report)


def test_nothing_is_fetched_from_elsewhere(page: Page, demo: Demo) -> None:
    requests: list[str] = []
    sockets: list[str] = []
    page.context.on("request", lambda request: requests.append(request.url))
    page.on("websocket", lambda socket: sockets.append(socket.url))
    walk(page, demo, lambda name: None)

    node = urlsplit(demo.url)
    elsewhere = [
        url
        for url in requests
        if not url.startswith(("data:", f"blob:{demo.url}/")) and urlsplit(url)[:2] != node[:2]
    ]
    assert elsewhere == [], elsewhere
    here = ({"http": "ws", "https": "wss"}[node.scheme], node.netloc)
    foreign_sockets = [url for url in sockets if urlsplit(url)[:2] != here]
    assert foreign_sockets == [], foreign_sockets
    # What the console needs did come, from here: script, style, map layers and worker, API,
    # and the live, playback and event sockets.
    paths = {urlsplit(url).path for url in requests}
    for needed in (
        "/api/v1/gis/layers/admin_area",
        "/api/v1/auth/token",
        "/api/v1/console/settings",
    ):
        assert needed in paths, (needed, sorted(paths))
    assert any(p.endswith(".js") for p in paths) and any(p.endswith(".css") for p in paths)
    assert any("maplibre-gl-worker" in p for p in paths), sorted(paths)
    socket_paths = [urlsplit(url).path for url in sockets]
    assert any(p.startswith("/api/v1/playback/") for p in socket_paths), socket_paths
    assert len(socket_paths) >= 4, socket_paths  # events, two live cells, playback, map


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """A demo of its own: only the demo district's names (Chinese, as its operators give them),
    not the Latin ones other tests type in as data."""
    data_dir = tmp_path_factory.mktemp("e2e-zh")
    seed_recordings(data_dir / "recordings")
    with running_demo(data_dir) as running:
        yield running


def test_the_chinese_console_shows_no_english(page: Page, district: Demo) -> None:
    """Every page in zh-CN, with the server's refusals showing, shows Latin script only in
    data kept as recorded and in the allowed names (tests/e2e/latin.py); the audit log says
    in words what was done, how it ended, and which role a new account got."""
    found: dict[str, list[str]] = {}

    def visit(name: str) -> None:
        found[name] = findings(page)

    walk(page, district, visit)
    assert list(found) == PAGES
    report = [f"{name}: {line}" for name, lines in found.items() for line in lines]
    assert report == [], "\n".join(report)
    created = page.locator("tr[data-action='user.create']").first
    expect(created).to_contain_text("创建用户")
    expect(created).to_contain_text("角色：审计员")
    refused = page.locator("tr[data-action='user.password']").first
    expect(refused.locator("[data-outcome=unauthorized]")).to_have_text("未认证")
