"""Recorded playback in a real browser: the purpose asked first, the day's timeline, play, seek
by clicking, export under another user's approval (the signed package, the MP4, the manifest);
the timeline zoomed (24 h, 1 h, 5 min) around the cursor, the export range's default (the
recorded video around the cursor), the camera and day kept when the user leaves and reloads.

The recordings are the half hour ``tests.e2e.recordings`` writes before the demo starts.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Download, Locator, Page, expect

from tests.e2e.conftest import PURPOSE, Demo, log_in, open_page, other_user, set_purpose, shot
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
    set_purpose(page, PURPOSE, "案-2026-001")
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


def test_no_playback_without_a_purpose_and_it_is_kept_for_the_tab(page: Page, demo: Demo) -> None:
    log_in(page, demo)
    page.goto(f"{demo.url}/playback?channel={CHANNEL.id}")
    prompt = page.get_by_test_id("purpose-prompt")
    expect(prompt).to_contain_text("记入审计")
    bar = page.get_by_role("form", name="查看用途")
    bar.locator("input[name=view-purpose]").fill("半截")  # typed, not committed: still no player
    expect(prompt).to_be_visible()
    expect(page.locator(".playback-video .player")).to_have_count(0)
    set_purpose(page)
    expect(prompt).to_have_count(0)
    page.reload()
    expect(bar.get_by_test_id("purpose-state")).to_have_text(f"当前用途：{PURPOSE}")
    expect(bar.locator("input[name=view-purpose]")).to_have_value(PURPOSE)


def test_playback_sends_the_purpose_and_case(page: Page, demo: Demo) -> None:
    timeline = open_recorded_day(page, demo)
    with page.expect_request(lambda r: r.url.endswith(f"/channels/{CHANNEL.id}/playback")) as sent:
        click_at(page, timeline, 0.5)
    body = sent.value.post_data_json
    assert body is not None
    assert (body["purpose"], body["case"]) == (PURPOSE, "案-2026-001")
    expect(page.locator(".playback-video .player")).to_have_attribute(
        "data-stage", "play", timeout=20_000
    )


def test_recorded_range_exports_under_another_user_s_approval(page: Page, demo: Demo) -> None:
    open_recorded_day(page, demo)
    downloads: list[Download] = []
    page.on("download", lambda download: downloads.append(download))
    start = datetime.fromtimestamp(START, ZONE) + timedelta(minutes=5)
    end = start + timedelta(minutes=1)
    form = page.locator("form.export")
    form.get_by_label("开始").fill(start.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label("结束").fill(end.strftime("%Y-%m-%dT%H:%M"))
    export = form.get_by_role("button", name="导出并下载（签名包）")
    expect(export).to_have_count(0)  # no export before an approval
    form.get_by_role("button", name="申请导出审批").click()
    request = form.get_by_test_id("export-approval")
    expect(request).to_have_attribute("data-state", "pending")
    expect(request).to_contain_text("待审批")
    expect(export).to_have_count(0)
    approval_id = int(request.get_attribute("data-id") or 0)
    asked = demo.api("GET", f"/approvals/{approval_id}").json()
    assert (asked["kind"], asked["channel_id"], asked["purpose"], asked["case_number"]) == (
        "export",
        CHANNEL.id,
        PURPOSE,
        "案-2026-001",
    )
    assert datetime.fromisoformat(asked["start"]) == start
    assert datetime.fromisoformat(asked["end"]) == end
    # The requester may not approve its own request: another user does.
    assert demo.api("POST", f"/approvals/{approval_id}/approve", json={}).status_code == 403
    with other_user(demo) as approver:
        decided = approver.api(demo, "POST", f"/approvals/{approval_id}/approve", {"note": "同意"})
        assert decided.status_code == 200, decided.text
        form.get_by_role("button", name="刷新审批状态").click()
        expect(request).to_have_attribute("data-state", "approved")
        expect(request).to_contain_text(approver.username)
        shot(page, "playback-export-approved")
        export.click()
        expect(form.get_by_role("status")).to_have_text("已下载", timeout=60_000)
    assert [Path(d.suggested_filename).suffix for d in downloads] == [".zip", ".mp4", ".json"]
    package, video, manifest = (Path(d.path()) for d in downloads)
    body = json.loads(manifest.read_text())
    assert (body["channel_id"], body["purpose"], body["case"]) == (
        CHANNEL.id,
        PURPOSE,
        "案-2026-001",
    )
    assert (body["approval_id"], body["approver"]) == (approval_id, approver.username)
    assert datetime.fromisoformat(body["range"]["start"]) == start
    assert datetime.fromisoformat(body["range"]["end"]) == end
    assert body["export"]["sha256"] == hashlib.sha256(video.read_bytes()).hexdigest()
    assert body["export"]["frames"] >= 55 * 5  # a minute at 5 frames/s, from a keyframe
    with zipfile.ZipFile(package) as signed:
        names = set(signed.namelist())
        assert {"manifest.json", "manifest.sig"} <= names, names
        assert json.loads(signed.read("manifest.json")) == body
    shot(page, "playback-export")


def recorded_minutes(demo: Demo) -> tuple[datetime, datetime]:
    """The seeded half hour as the export form's default should give it: whole minutes inside
    the recording (its segments as the node lists them)."""
    day = datetime.fromtimestamp(START, ZONE).replace(hour=0, minute=0, second=0)
    params = f"start={day.isoformat()}&end={(day + timedelta(days=1)).isoformat()}"
    listed = demo.api("GET", f"/channels/{CHANNEL.id}/recordings?{params.replace('+', '%2B')}")
    assert listed.status_code == 200, listed.text
    spans = [
        (datetime.fromisoformat(s["start"]), datetime.fromisoformat(s["end"]))
        for s in listed.json()["segments"]
        if datetime.fromisoformat(s["start"]).timestamp() < START + SECONDS
    ]
    first, last = min(s for s, _ in spans), max(e for _, e in spans)
    assert first.timestamp() == START and last.timestamp() > START + SECONDS - 60
    whole = last.astimezone(ZONE).replace(second=0, microsecond=0)
    return first.astimezone(ZONE), whole


def view(timeline: Locator) -> tuple[float, float]:
    """The window of the day on screen, epoch seconds."""
    start = timeline.get_attribute("data-view-start")
    end = timeline.get_attribute("data-view-end")
    assert start is not None and end is not None
    return float(start) / 1000, float(end) / 1000


def test_timeline_zooms_around_the_cursor_and_export_defaults_to_the_recording(
    page: Page, demo: Demo
) -> None:
    timeline = open_recorded_day(page, demo)
    form = page.locator("form.export")
    minute = "%Y-%m-%dT%H:%M"
    target = click_at(page, timeline, 0.5)
    # The export range defaults to the recorded half hour the cursor is in, not to nothing.
    first, last = recorded_minutes(demo)
    expect(form.locator("input[name=export-from]")).to_have_value(first.strftime(minute))
    expect(form.locator("input[name=export-to]")).to_have_value(last.strftime(minute))
    ticks = page.locator(".timeline-wrap .ticks span")
    expect(ticks).to_have_text([f"{h:02d}:00" for h in range(0, 24, 3)] + ["24:00"])

    # + on the timeline: one hour around the cursor, a tick every ten minutes.
    timeline.focus()
    page.keyboard.press("+")
    expect(page.locator("button[data-zoom='1']")).to_have_attribute("aria-pressed", "true")
    start, end = view(timeline)
    assert end - start == 3600 and start <= target <= end
    # Centred on the cursor (it plays on meanwhile), unless that would leave the day: a recording
    # seeded in the half hour after midnight (a run near 16:00 UTC) gets the day's first hour.
    midnight = datetime.fromtimestamp(START, ZONE).replace(hour=0, minute=0, second=0).timestamp()
    centre = min(max(target, midnight + 1800), midnight + DAY_S - 1800)
    assert abs((start + end) / 2 - centre) < 120
    labels = ticks.all_inner_texts()
    assert len(labels) in (6, 7) and all(re.fullmatch(r"\d\d:\d0", label) for label in labels)
    shot(page, "playback-zoom-hour")

    # The 5 min button: five minutes around the cursor, a tick every minute; the export default
    # is the recorded part of that window.
    page.locator("button[data-zoom='2']").click()
    start, end = view(timeline)
    assert end - start == 300 and start <= target + LATE_S + 60 and end >= target
    labels = ticks.all_inner_texts()
    assert len(labels) in (5, 6) and all(re.fullmatch(r"\d\d:\d\d", label) for label in labels)
    minutes = [int(label[:2]) * 60 + int(label[3:]) for label in labels]
    assert minutes == list(range(minutes[0], minutes[0] + len(minutes)))
    low = datetime.strptime(form.locator("input[name=export-from]").input_value(), minute)
    high = datetime.strptime(form.locator("input[name=export-to]").input_value(), minute)
    low_s, high_s = (t.replace(tzinfo=ZONE).timestamp() for t in (low, high))
    assert start <= low_s < high_s <= end and high_s - low_s >= 240
    shot(page, "playback-zoom-five")

    # The wheel over the timeline zooms back out, to the hour.
    box = timeline.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, 120)
    expect(page.locator("button[data-zoom='1']")).to_have_attribute("aria-pressed", "true")
    start, end = view(timeline)
    assert end - start == 3600


def test_the_chosen_camera_and_day_are_kept(page: Page, demo: Demo) -> None:
    open_recorded_day(page, demo)
    day = datetime.fromtimestamp(START, ZONE).date().isoformat()
    page.get_by_role("link", name="实时视频").click()
    expect(page.locator(".wall")).to_be_visible()
    page.get_by_role("link", name="录像回放").click()  # the menu's plain /playback
    expect(page).to_have_url(re.compile(rf"/playback\?channel={CHANNEL.id}$"))
    expect(page.get_by_label("日期")).to_have_value(day)
    expect(page.locator("#playback-title")).to_contain_text(CHANNEL.name)
    page.reload()
    expect(page.get_by_label("日期")).to_have_value(day)
    expect(page.locator("#playback-title")).to_contain_text(CHANNEL.name)
    expect(
        page.get_by_role("slider", name="24 小时时间轴").locator(".span.recorded").first
    ).to_be_attached()
