"""Recorded playback in a real browser: the day's timeline, play, seek by clicking, export.

The recordings are the half hour ``tests.e2e.recordings`` writes before the demo starts.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Download, Locator, Page, expect

from tests.e2e.conftest import Demo, log_in, open_page, shot
from tests.e2e.recordings import CHANNEL, SECONDS, START, ZONE

DAY_S = 24 * 3600
#: A seek lands on the keyframe at or before the target (every 2 s), and the first report of
#: the position comes within a few seconds of play.
EARLY_S, LATE_S = 3.0, 8.0


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with open_page(browser, timezone_id=ZONE.key) as fresh:
        yield fresh


def open_recorded_day(page: Page, demo: Demo) -> Locator:
    """The playback page of the recorded camera on the recorded day; its timeline."""
    log_in(page, demo)
    page.goto(f"{demo.url}/playback?channel={CHANNEL.id}")
    day = datetime.fromtimestamp(START, ZONE).date().isoformat()
    page.get_by_label("日期").fill(day)
    timeline = page.get_by_role("slider", name="24 小时时间轴")
    expect(timeline.locator(".span.recorded").first).to_be_attached()
    return timeline


def click_at(page: Page, timeline: Locator, fraction: float) -> float:
    """Click the timeline ``fraction`` into the recorded half hour (at a whole pixel, as a
    mouse does); the time (epoch s) that pixel stands for."""
    box = timeline.bounding_box()
    assert box is not None
    midnight = datetime.fromtimestamp(START, ZONE).replace(hour=0, minute=0, second=0).timestamp()
    x = round((START + fraction * SECONDS - midnight) / DAY_S * box["width"])
    page.mouse.click(box["x"] + x, box["y"] + box["height"] / 2)
    target = midnight + x / box["width"] * DAY_S
    assert START < target < START + SECONDS, "the pixel clicked is inside the recording"
    return target


def playing(page: Page) -> tuple[float, str, float]:
    """(recorded time shown in seconds, the label's text, the video's currentTime), read at once."""
    at, text, current = page.evaluate(
        """() => {
            const label = document.querySelector('[data-testid=playback-position]');
            const video = document.querySelector('.playback-video video');
            return [Number(label.dataset.at), label.textContent, video.currentTime];
        }"""
    )
    return at / 1000, text, current


def wait_playing_near(page: Page, target: float) -> float:
    """Wait until the position shown is near ``target``, then until it and the video advance."""
    page.wait_for_function(
        """([low, high]) => {
            const at = Number(document.querySelector('[data-testid=playback-position]').dataset.at);
            return at >= low && at <= high;
        }""",
        arg=[(target - EARLY_S) * 1000, (target + LATE_S) * 1000],
        timeout=20_000,
    )
    at, text, current = playing(page)
    assert text.endswith(datetime.fromtimestamp(int(at), ZONE).strftime("%H:%M:%S")), (text, at)
    page.wait_for_function(
        """([at, current]) => {
            const label = document.querySelector('[data-testid=playback-position]');
            const video = document.querySelector('.playback-video video');
            return Number(label.dataset.at) > at + 1500 && video.currentTime > current + 1.5;
        }""",
        arg=[at * 1000, current],
        timeout=15_000,
    )
    return at


def test_recorded_playback_plays_and_seeks(page: Page, demo: Demo) -> None:
    timeline = open_recorded_day(page, demo)
    player = page.locator(".playback-video .player")
    label = page.get_by_test_id("playback-position")
    expect(label).to_have_text("—")

    first = click_at(page, timeline, 0.25)
    expect(player).to_have_attribute("data-channel", CHANNEL.id)
    wait_playing_near(page, first)
    expect(player).to_have_attribute("data-stage", "play")
    # The timeline's cursor follows the video: its value is the minute of the day on screen.
    shown = datetime.fromtimestamp(playing(page)[0], ZONE)
    minute = shown.hour * 60 + shown.minute
    expect(timeline).to_have_attribute("aria-valuenow", re.compile(rf"^({minute}|{minute + 1})$"))
    shot(page, "playback-playing")

    second = click_at(page, timeline, 0.8)
    assert second - first > 10 * 60
    wait_playing_near(page, second)
    shot(page, "playback-seeked")


def test_recorded_range_exports_with_manifest(page: Page, demo: Demo) -> None:
    open_recorded_day(page, demo)
    downloads: list[Download] = []
    page.on("download", lambda download: downloads.append(download))
    start = datetime.fromtimestamp(START, ZONE) + timedelta(minutes=5)
    end = start + timedelta(minutes=1)
    form = page.locator("form.export")
    form.get_by_label("开始").fill(start.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label("结束").fill(end.strftime("%Y-%m-%dT%H:%M"))
    form.locator("input[name=purpose]").fill("e2e: export a recorded minute")
    form.get_by_role("button", name="下载（含清单）").click()
    expect(form.get_by_role("status")).to_have_text("已下载", timeout=60_000)
    assert [Path(d.suggested_filename).suffix for d in downloads] == [".mp4", ".json"]
    video, manifest = (Path(d.path()) for d in downloads)
    body = json.loads(manifest.read_text())
    assert (body["channel_id"], body["purpose"]) == (CHANNEL.id, "e2e: export a recorded minute")
    assert datetime.fromisoformat(body["range"]["start"]) == start
    assert datetime.fromisoformat(body["range"]["end"]) == end
    assert body["export"]["sha256"] == hashlib.sha256(video.read_bytes()).hexdigest()
    assert body["export"]["frames"] >= 55 * 5  # a minute at 5 frames/s, from a keyframe
    shot(page, "playback-export")
