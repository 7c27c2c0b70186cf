"""Recorded playback URLs are bound to the login session that opened them, like live ones.

A real uvicorn serves a node with an hour-old recording; a scoped viewer plays it over the
WebSocket. The socket closes within the re-check period when the viewer is disabled, and at the
view's expiry when nothing renews it. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import httpx
import pytest
import websockets

from tests.integration.media.live_support import (
    VIEWER_PASSWORD,
    admin_headers,
    closed_within,
    playing,
    serve,
)
from tests.integration.media.recording_synthetic import T0, feed, stream
from tests.integration.media.test_recording_export import CHANNEL, KEY, add_channel
from vigil.app import Vigil
from vigil.media.packet import Codec
from vigil.media.recording.index import utc

pytestmark = pytest.mark.timeout(90)

RECHECK = 0.5


@pytest.fixture
async def api(node: Vigil) -> AsyncIterator[httpx.AsyncClient]:
    await add_channel(node)
    await (await node.recording.record(KEY, feed(stream(Codec.H264, 60))))
    node.views.recheck = RECHECK
    async with (
        serve(node) as url,
        httpx.AsyncClient(base_url=url, headers=await admin_headers(url)) as admin,
    ):
        yield admin


async def open_playback(admin: httpx.AsyncClient) -> tuple[int, dict[str, str]]:
    """A viewer scoped to the recording's organisation, logged in, playing it; their id."""
    body = {
        "username": "watcher",
        "password": VIEWER_PASSWORD,
        "role": "viewer",
        "scopes": ["3401"],
    }
    created = await admin.post("/api/v1/users", json=body)
    assert created.status_code == 201, created.text
    login = await admin.post(
        "/api/v1/auth/token", data={"username": "watcher", "password": VIEWER_PASSWORD}, headers={}
    )
    assert login.status_code == 200, login.text
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    span = {
        "start": utc(T0).isoformat(),
        "end": utc(T0 + 60).isoformat(),
        "speed": 1,
        "purpose": "access test",
    }
    started = await admin.post(f"/api/v1/channels/{CHANNEL}/playback", json=span, headers=headers)
    assert started.status_code == 201, started.text
    return created.json()["id"], started.json()


async def test_a_disabled_users_playback_closes_within_the_recheck(
    api: httpx.AsyncClient,
) -> None:
    user_id, session = await open_playback(api)
    async with websockets.connect(session["ws_fmp4"]) as ws:
        await ws.recv()  # {"type": "init", ...}
        await playing(ws)
        disabled = await api.patch(f"/api/v1/users/{user_id}", json={"disabled": True})
        assert disabled.status_code == 200, disabled.text
        code, took = await closed_within(ws, 10)
    assert code == 4401
    assert took < RECHECK + 1.0, f"closed {took:.2f} s after the user was disabled"
    with pytest.raises(websockets.InvalidStatus):
        async with websockets.connect(session["ws_fmp4"]):
            pass


async def test_a_playback_stops_at_expiry(api: httpx.AsyncClient, node: Vigil) -> None:
    node.views.ttl = 2.0
    node.views.recheck = 30.0  # expiry alone must close it
    _, session = await open_playback(api)
    expiry = time.time() + 2.0
    async with websockets.connect(session["ws_fmp4"]) as ws:
        await ws.recv()
        await playing(ws)
        code, _ = await closed_within(ws, 10)
    late = time.time() - expiry
    assert code == 4401
    assert late < 0.5, f"played {late:.2f} s past expiry"
