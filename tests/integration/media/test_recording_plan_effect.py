"""A recording plan takes effect when it is saved, not at the next start: a simulated GB camera
(PS over RTP, UDP) starts recording when a continuous plan is saved and stops, with a
``not-scheduled`` gap and a BYE, when "off" is saved; a weekly window opens and closes the
recording at its edges while the node runs, and the camera is not held outside it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.conftest import ADMIN_PASSWORD, login
from tests.integration.media.live_support import CHANNEL, GbTestProvider, media_node
from vigil.api.server import create_api
from vigil.app import Vigil
from vigil.media.recording.index import utc
from vigil.media.recording.schedule import PlanMode, RecordingSchedule, Window

__all__ = ["media_node"]  # the fixture, imported

pytestmark = pytest.mark.timeout(90)

PLAN = f"/api/v1/channels/{CHANNEL}/recording-plan"


async def until(check: Callable[[], Any], seconds: float, what: str, every: float = 0.2) -> Any:
    """Poll ``check`` (sync or async) until it returns something truthy; that."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return result
        assert time.monotonic() < deadline, f"{what} within {seconds} s"
        await asyncio.sleep(every)


@pytest.fixture
async def api(media_node: Vigil) -> AsyncIterator[tuple[httpx.AsyncClient, GbTestProvider]]:
    """The node as ``serve`` runs it once SIP is up (planned channels followed), a simulated
    camera behind its one channel, and an admin's HTTP client."""
    provider = GbTestProvider(media_node.media)
    media_node.media.register_provider("gb28181", provider)
    await media_node.autorecord.start()
    transport = httpx.ASGITransport(app=create_api(media_node))
    async with httpx.AsyncClient(transport=transport, base_url="http://vigil.test") as client:
        client.headers.update(await login(client, "admin", ADMIN_PASSWORD))
        yield client, provider


async def listing(client: httpx.AsyncClient, since: float) -> dict[str, Any]:
    params = {"start": utc(since - 60).isoformat(), "end": utc(time.time() + 60).isoformat()}
    response = await client.get(f"/api/v1/channels/{CHANNEL}/recordings", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def at(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


async def test_a_saved_plan_starts_and_stops_recording_at_once(
    media_node: Vigil, api: tuple[httpx.AsyncClient, GbTestProvider]
) -> None:
    client, provider = api
    began = time.time()
    saved = await client.put(PLAN, json={"mode": "continuous", "windows": []})
    assert saved.status_code == 200, saved.text

    async def open_segment() -> dict[str, Any] | None:
        body = await listing(client, began)
        return next(
            (s for s in body["segments"] if s["open"] and at(s["end"]) > at(s["start"])), None
        )

    first = await until(open_segment, 10, "no segment was recorded")
    assert first["id"] is None and first["sha256"] is None and first["codec"] == "h264"
    assert len(provider.cameras) == 1  # the camera was INVITEd for the plan, nobody watches
    recordings = media_node.recording.root / CHANNEL
    written = lambda: any(f.stat().st_size for f in recordings.rglob("*.mp4"))  # noqa: E731
    await until(written, 5, "no segment file was written")

    stopped = time.time()
    assert (await client.put(PLAN, json={"mode": "off", "windows": []})).status_code == 200

    async def stopped_with_gap() -> dict[str, Any] | None:
        body = await listing(client, began)
        if any(s["open"] for s in body["segments"]) or not body["segments"]:
            return None
        return body if any(g["open"] for g in body["gaps"]) else None

    body = await until(stopped_with_gap, 10, "recording did not stop")
    closed = body["segments"][-1]
    assert closed["id"] is not None and len(closed["sha256"]) == 64
    assert at(closed["end"]) <= stopped + 1.0  # no frame recorded after the plan said off
    [gap] = body["gaps"]
    assert gap["cause"] == "not-scheduled" and gap["start"] == closed["end"]
    await until(lambda: provider.byes == 1, 5, "the camera was not let go (no BYE)")
    assert media_node.media.hub.streams() == []

    await asyncio.sleep(media_node.recording.config.gap_after + 1)
    assert (await client.put(PLAN, json={"mode": "continuous", "windows": []})).status_code == 200
    await until(open_segment, 10, "recording did not start again")
    body = await listing(client, began)
    # The time it was off is a gap of its own, written when recording resumed, and not counted
    # against the channel's intact rate.
    assert [(g["start"], g["cause"], g["open"]) for g in body["gaps"]] == [
        (closed["end"], "not-scheduled", False)
    ]
    assert len(provider.cameras) == 2


async def test_weekly_window_opens_and_closes_recording_while_running(
    media_node: Vigil, api: tuple[httpx.AsyncClient, GbTestProvider]
) -> None:
    client, provider = api
    zone = media_node.settings.zone
    # A window a few seconds long, in the platform's zone (the API takes whole minutes; the
    # schedule itself any time of day).
    opens = (datetime.now(zone) + timedelta(seconds=3)).replace(microsecond=0)
    closes = opens + timedelta(seconds=6)
    window = Window(opens.weekday(), opens.time(), closes.time())
    await media_node.recording.plans.save(CHANNEL, RecordingSchedule(PlanMode.scheduled, (window,)))

    await asyncio.sleep(max(0.0, opens.timestamp() - time.time() - 1))
    assert provider.cameras == []  # not held before its window

    await until(lambda: provider.cameras, 5, "the window did not start recording")
    assert time.time() >= opens.timestamp()
    await asyncio.sleep(max(0.0, closes.timestamp() - time.time()))
    await until(lambda: provider.byes == 1, 5, "the window's end did not let the camera go")

    body = await until(
        lambda: _closed(listing(client, opens.timestamp())), 5, "the segment was not closed"
    )
    [segment] = body["segments"]
    assert opens.timestamp() <= at(segment["start"]) < opens.timestamp() + 2
    assert closes.timestamp() - 2 < at(segment["end"]) <= closes.timestamp() + 0.1
    assert [(g["start"], g["cause"], g["open"]) for g in body["gaps"]][-1] == (
        segment["end"],
        "not-scheduled",
        True,
    )


async def _closed(pending: Any) -> dict[str, Any] | None:
    body: dict[str, Any] = await pending
    segments = body["segments"]
    return body if segments and not any(s["open"] for s in segments) else None
