"""The console in Debian's chromium, driven by Playwright, against ``vigil demo`` as a process.

Skips with the reason when chromium or the console build (``web/dist``, made by ``make``) is
missing. Each test writes screenshots to ``test-output/e2e/`` for a person to look at.
"""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.e2e.recordings import seed_recordings
from tests.integration.live import LiveServer, free_port, live_vigil
from vigil.api.web import DIST
from vigil.demo import DISTRICT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path(__file__).parents[2] / "test-output" / "e2e"

if not Path(CHROMIUM).is_file():
    pytest.skip(
        "headless tests need Debian's chromium (apt-get install chromium)", allow_module_level=True
    )
if not (DIST / "index.html").is_file():
    pytest.skip("the console is not built: run `make web/dist`", allow_module_level=True)


@dataclass
class Demo:
    server: LiveServer
    username: str
    password: str
    data_dir: Path
    sip_port: int = 0
    auditor: tuple[str, str] = ("", "")  # the demo's auditor: username, password

    @property
    def url(self) -> str:
        return self.server.url

    def token(self, username: str | None = None, password: str | None = None) -> str:
        response = httpx.post(
            f"{self.url}/api/v1/auth/token",
            data={"username": username or self.username, "password": password or self.password},
        )
        assert response.status_code == 200, response.text
        access: str = response.json()["access_token"]
        return access

    @cached_property
    def admin_token(self) -> str:
        return self.token()

    def api(self, method: str, path: str, json: object = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.admin_token}"}
        return httpx.request(method, f"{self.url}/api/v1{path}", headers=headers, json=json)


@contextmanager
def running_demo(data_dir: Path, *, analytics: bool = False) -> Iterator[Demo]:
    """``vigil demo`` on ``data_dir`` until the block ends; ``analytics``: its live analytics
    runs the footage camera's rules (off for the pages' tests: an intrusion every loop of the
    footage would pop up over whatever a test is looking at, and put the camera on the wall)."""
    # Every test logs in afresh; lift the per-address login rate so the suite is not throttled.
    sip_port = str(free_port())
    with live_vigil(
        "demo",
        data_dir,
        banner_lines=3,
        sip_port=sip_port,
        login_rate_per_minute="1000",
        analytics_enabled=str(analytics).lower(),
    ) as server:
        username, password = server.first_lines[1].removeprefix("  log in as: ").split(" / ")
        auditor, audit_password = server.first_lines[2].removeprefix("  audit as: ").split(" / ")
        port = int(sip_port)
        yield Demo(server, username, password, data_dir, port, (auditor, audit_password))


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    data_dir = tmp_path_factory.mktemp("e2e")
    seed_recordings(data_dir / "recordings")  # indexed by the node at start
    with running_demo(data_dir) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Module scope: sync Playwright drives its own event loop on this thread, so it must be gone
    # before the asyncio tests that run after the e2e modules in the same pytest session.
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@contextmanager
def open_page(
    browser: Browser, locale: str = "zh-CN", timezone_id: str | None = None
) -> Iterator[Page]:
    """A fresh context (no saved session or language) with an operator's screen size.

    Uncaught script errors in the page fail the test.
    """
    context = browser.new_context(
        locale=locale, timezone_id=timezone_id, viewport={"width": 1400, "height": 860}
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()
    assert errors == [], errors


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with open_page(browser) as fresh:
        yield fresh


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def log_in(
    page: Page, demo: Demo, username: str | None = None, password: str | None = None
) -> None:
    page.goto(demo.url + "/")
    page.fill("input[name=username]", username or demo.username)
    page.fill("input[name=password]", password or demo.password)
    page.click("form button[type=submit]")
    page.wait_for_selector("header.topbar")


#: The purpose the playback tests view recorded video for (Chinese: the Chinese console's pages
#: are checked for English).
PURPOSE = "端到端测试回放"


def set_purpose(page: Page, purpose: str = PURPOSE, case: str = "") -> None:
    """Commit the playback page's purpose of viewing (the player waits for it)."""
    bar = page.get_by_role("form", name="查看用途")
    bar.locator("input[name=view-purpose]").fill(purpose)
    bar.locator("input[name=view-case]").fill(case)
    bar.get_by_role("button", name="确定用途").click()
    expect(bar.get_by_test_id("purpose-state")).to_have_text(f"当前用途：{purpose}")


@dataclass
class OtherUser:
    """An account made for a test through the API, removed after it."""

    username: str
    password: str
    id: int
    token: str

    def api(self, demo: Demo, method: str, path: str, json: object = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}"}
        return httpx.request(method, f"{demo.url}/api/v1{path}", headers=headers, json=json)


@contextmanager
def other_user(demo: Demo, role: str = "operator") -> Iterator[OtherUser]:
    """A second user of ``role`` over the demo district (an operator may request and decide
    exports), logged in through the API; deleted when the block ends."""
    username, password = f"{role}-{secrets.token_hex(3)}", f"Second-User-{secrets.token_hex(4)}"
    body = {"username": username, "password": password, "role": role, "scopes": [DISTRICT]}
    created = demo.api("POST", "/users", json=body)
    assert created.status_code == 201, created.text
    try:
        yield OtherUser(username, password, created.json()["id"], demo.token(username, password))
    finally:
        demo.api("DELETE", f"/users/{created.json()['id']}")
