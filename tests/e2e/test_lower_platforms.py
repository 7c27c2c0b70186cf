"""The lower platforms page against the demo with a simulated lower platform registered to it.

The platform (``vigil.sim.platform``) runs on its own event loop in a thread of the test
process and registers to the demo's SIP endpoint over loopback with a password set through the
API. The page must show it online with its counts, its tree with every group under the parent
the platform sent, follow an OFF it NOTIFYs, pass the contrast check, and delete it with its tree.
Its tree has no civil-code nodes (its cameras carry the demo's district as their civil code, and
land under it), so the demo's organisation tree is left as the other pages expect it; the
platform is deleted at the end whatever happens.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Demo, log_in, open_page, shot
from vigil.sim import DeviceConfig, VideoSpec
from vigil.sim.platform import SimPlatform
from vigil.sim.platform_tree import PlatformTree, make_tree

PLATFORM_ID = "34010499002000000009"  # IDs of its own: none collides with the demo's
PASSWORD = "Lower-Platform-Pass-9"
CONTRAST = (Path(__file__).parent / "contrast.js").read_text()
T = TypeVar("T")


class Background:
    """An event loop in a thread, for the simulator beside sync Playwright."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="sim-platform")
        self.thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 20.0) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


def _tree() -> PlatformTree:
    tree = make_tree(PLATFORM_ID)
    tree.remove(PLATFORM_ID[:6])  # no civil-code nodes: the demo's regions stay as they are
    for channel_id in [c for c, placed in tree.placed.items() if placed.region]:
        del tree.placed[channel_id]  # nor a camera filed by a code the demo lacks
    return tree


def _config(demo: Demo) -> DeviceConfig:
    return DeviceConfig(
        device_id=PLATFORM_ID,
        server=("127.0.0.1", demo.sip_port),
        password=PASSWORD,
        keepalive_interval=2.0,
        video=VideoSpec(width=320, height=180, bitrate=200_000, loop_seconds=0.8, gop_seconds=0.4),
    )


@dataclass
class Running:
    sim: SimPlatform
    background: Background


@pytest.fixture
def platform(demo: Demo) -> Iterator[Running]:
    created = demo.api("POST", "/devices", json={"id": PLATFORM_ID, "name": "区县平台"})
    assert created.status_code == 201, created.text
    sim = SimPlatform(_config(demo), _tree())
    background = Background()
    try:
        answer = demo.api("PUT", f"/devices/{PLATFORM_ID}/password", json={"password": PASSWORD})
        assert answer.status_code == 204, answer.text
        background.run(sim.start())
        background.run(sim.wait_registered(15))
        yield Running(sim, background)
    finally:
        background.run(sim.stop())
        background.close()
        for row in demo.api("GET", "/lower-platforms").json():
            demo.api("DELETE", f"/lower-platforms/{row['id']}")
        demo.api("DELETE", f"/devices/{PLATFORM_ID}")


def _imported(demo: Demo, channels: int) -> dict[str, Any]:
    deadline = time.monotonic() + 20
    while True:
        rows = [r for r in demo.api("GET", "/lower-platforms").json() if r["online"]]
        if rows and rows[0]["channels"] == channels and rows[0]["counters"]["requests"] >= 4:
            row: dict[str, Any] = rows[0]
            return row
        assert time.monotonic() < deadline, f"the catalog was not imported in time: {rows}"
        time.sleep(0.2)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with open_page(browser) as fresh:
        yield fresh


def test_lower_platform_state_tree_off_and_delete(
    page: Page, demo: Demo, platform: Running
) -> None:
    tree = platform.sim.tree
    row = _imported(demo, len(tree.placed))
    log_in(page, demo)
    groups = [n for n in tree.nodes if n[10:13] in ("215", "216")]
    # The resource tree beside the live wall shows the imported groups, nested as sent.
    resource = page.get_by_role("tree", name="资源树")
    for group_id in groups:
        item = resource.locator(f"li[data-kind=group][data-id='{group_id}']")
        expect(item).to_have_count(1)
        parent = tree.nodes[group_id].parent_id
        if group_id[10:13] == "216" and parent:
            level = resource.locator(f"li[data-kind=group][data-id='{parent}']")
            below = int(level.get_attribute("aria-level") or 0) + 1
            expect(item).to_have_attribute("aria-level", str(below))
    grouped = [c for c, placed in tree.placed.items() if placed.group_id]
    for channel_id in grouped:  # under its NVR and under its group
        expect(resource.locator(f"li[data-id='{channel_id}']")).to_have_count(2)
    page.get_by_role("link", name="下级平台").click()
    line = page.locator(f"tr[data-id='{PLATFORM_ID}']")
    expect(line.locator(".badge.on")).to_have_text("在线")
    expect(line).to_contain_text(f"2 / {len(tree.placed)}/{len(tree.placed)} / {len(groups)}")
    expect(line.get_by_test_id("lower-counters")).not_to_have_text("0 / 0 / 0")

    line.get_by_role("button", name="目录树").click()
    in_groups = page.get_by_test_id("lower-groups")
    for group_id in groups:
        parent = tree.nodes[group_id].parent_id
        sent = "" if group_id[10:13] == "215" else parent or ""
        expect(in_groups.locator(f"li[data-id='{group_id}']")).to_have_attribute(
            "data-parent", sent
        )
        if sent:  # nested under its parent's item, as sent
            nested = in_groups.locator(f"li[data-id='{sent}'] li[data-id='{group_id}']")
            expect(nested).to_have_count(1)
    devices = page.get_by_test_id("lower-devices")
    expect(devices.locator("li[data-kind=channel]")).to_have_count(len(tree.placed))
    # By region: the cameras' civil code is the demo's district, named as the demo names it,
    # under its city and province; not a flat list.
    regions = page.get_by_test_id("lower-regions")
    district = regions.locator(f"li[data-kind=region][data-id='{PLATFORM_ID[:6]}']")
    expect(district.locator(":scope > strong")).to_have_text("蜀山区")
    expect(district).to_have_attribute("data-parent", PLATFORM_ID[:4])
    city = regions.locator(f"li[data-id='{PLATFORM_ID[:2]}'] li[data-id='{PLATFORM_ID[:4]}']")
    expect(city).to_have_count(1)
    expect(district.locator("li[data-kind=channel]")).to_have_count(len(tree.placed))
    expect(regions.locator("li[data-kind=no-region]")).to_have_count(0)

    channel = next(iter(tree.placed))
    assert platform.background.run(platform.sim.notify("OFF", [channel])) == 1
    expect(devices.locator(f"li[data-id='{channel}'] .badge.off")).to_be_visible(timeout=15_000)

    page.mouse.move(0, 0)
    result = page.evaluate(CONTRAST)
    assert result["measured"] >= 20 and result["failures"] == []
    shot(page, "lower-platforms-tree")

    page.once("dialog", lambda dialog: dialog.accept())
    line.get_by_role("button", name="删除").click()
    expect(line).to_have_count(0)
    assert demo.api("GET", f"/lower-platforms/{row['id']}").status_code == 404
    for group_id in groups:
        assert demo.api("GET", f"/virtual-groups/{group_id}").status_code == 404
