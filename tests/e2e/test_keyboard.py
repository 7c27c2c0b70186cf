"""The tree and the live wall by keyboard alone: Tab to them, arrows, Enter, Delete, and video."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Demo, log_in, shot

FOCUSED = "(() => { const e = document.activeElement; return e && e.matches(%r); })()"


def tab_to(page: Page, selector: str, presses: int = 40) -> None:
    """Press Tab until the focused element matches ``selector``; fail after ``presses``."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED % selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def focused(page: Page, attribute: str) -> str:
    value: str = page.evaluate(f"document.activeElement.getAttribute({attribute!r}) ?? ''")
    return value


ONLINE = "document.activeElement.querySelector('.badge')?.dataset.status === 'online'"


def down_to_next_channel(page: Page) -> str:
    """ArrowDown until an online channel's row has the focus (the demo's encoder and its
    cameras are offline: nothing to play); its ID."""
    for _ in range(20):
        page.keyboard.press("ArrowDown")
        if focused(page, "data-kind") == "channel" and page.evaluate(ONLINE):
            return focused(page, "data-id")
    raise AssertionError("no online channel below the focused row")


def wait_video_advances(page: Page, cell: int) -> None:
    """The cell's video plays: its currentTime moves on by more than a second."""
    video = page.locator(f".cell[data-cell='{cell}'] video")
    expect(page.locator(f".cell[data-cell='{cell}'] .player")).to_have_attribute(
        "data-stage", "play", timeout=20_000
    )
    start = video.evaluate("v => v.currentTime")
    page.wait_for_function(
        "([v, start]) => v.currentTime > start + 1",
        arg=[video.element_handle(), start],
        timeout=10_000,
    )


def test_keyboard_alone_fills_the_wall_and_plays(page: Page, demo: Demo) -> None:
    log_in(page, demo)
    tree = page.get_by_role("tree")

    # Tab reaches the tree once, at one row (roving tabindex); arrows walk it. The tree loads
    # after the top bar: wait for its rows first, or on a loaded machine the Tabs run out
    # before there is a row to reach.
    expect(tree.locator("[role=treeitem][tabindex='0']")).to_have_count(1, timeout=20_000)
    tab_to(page, "[role=treeitem]")
    expect(tree.locator("[role=treeitem][tabindex='0']")).to_have_count(1)
    first = down_to_next_channel(page)
    page.keyboard.press("Enter")  # into the active cell (0); the next empty cell becomes active
    expect(page.locator(".cell[data-cell='0'] .player")).to_have_attribute("data-channel", first)
    expect(page.locator(".cell.active")).to_have_attribute("data-cell", "1")
    second = down_to_next_channel(page)
    assert second != first
    page.keyboard.press("Enter")
    expect(page.locator(".cell[data-cell='1'] .player")).to_have_attribute("data-channel", second)

    # The wall is one Tab stop: the active cell; arrows move between cells.
    tab_to(page, ".cell")
    assert focused(page, "data-cell") == "2"
    page.keyboard.press("ArrowUp")
    assert focused(page, "data-cell") == "0"
    page.keyboard.press("ArrowRight")
    assert focused(page, "data-cell") == "1"

    # Enter on a cell sends the focus to the tree to choose its channel; Enter there puts it in.
    page.keyboard.press("Enter")
    expect(page.locator(".cell.active")).to_have_attribute("data-cell", "1")
    assert focused(page, "role") == "treeitem"
    assert focused(page, "data-id") == second
    third = down_to_next_channel(page)
    assert third not in (first, second)
    page.keyboard.press("Enter")
    expect(page.locator(".cell[data-cell='1'] .player")).to_have_attribute("data-channel", third)

    wait_video_advances(page, 0)
    wait_video_advances(page, 1)
    shot(page, "wall-keyboard")

    # Back on the wall (at the next empty cell), Delete closes the stream in the focused cell
    # and leaves the others playing.
    tab_to(page, ".cell")
    assert focused(page, "data-cell") == "2"
    page.keyboard.press("ArrowUp")
    assert focused(page, "data-cell") == "0"
    page.keyboard.press("Delete")
    expect(page.locator(".cell[data-cell='0'] .player")).to_have_count(0)
    expect(page.locator(".cell[data-cell='1'] .player")).to_have_attribute("data-channel", third)
