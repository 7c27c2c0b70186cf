"""Live URLs are bound to the login session that opened them, not bearer links.

A real uvicorn serves the node and a simulated GB camera streams (see ``live_support``). An open
live WebSocket closes within the re-check period when its user is disabled, logs out or loses
the channel's scope, and at the view's expiry unless its session renews it; HLS requests are
refused likewise; a URL is useless once its login has ended.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
import websockets

from tests.integration.media.live_support import (
    CHANNEL,
    ORG,
    VIEWER_PASSWORD,
    GbTestProvider,
    admin_headers,
    closed_within,
    media_node,
    playing,
    serve,
)
from vigil.app import Vigil
from vigil.store.models import Organisation, OrgKind

__all__ = ["media_node"]  # the fixture, imported

pytestmark = pytest.mark.timeout(60)

RECHECK = 0.5


@dataclass
class Viewer:
    user_id: int
    headers: dict[str, str]


@pytest.fixture
async def api(media_node: Vigil) -> AsyncIterator[tuple[str, httpx.AsyncClient]]:
    media_node.media.register_provider("gb28181", GbTestProvider(media_node.media))
    media_node.views.recheck = RECHECK
    async with media_node.db.session() as session, session.begin():
        session.add(Organisation(id="3402", name="芜湖市", kind=OrgKind.region, path="3402/"))
    async with (
        serve(media_node) as url,
        httpx.AsyncClient(base_url=url, headers=await admin_headers(url)) as admin,
    ):
        yield url, admin


async def viewer(admin: httpx.AsyncClient, name: str = "watcher") -> Viewer:
    """An operator scoped to the camera's organisation, logged in."""
    body = {"username": name, "password": VIEWER_PASSWORD, "role": "viewer", "scopes": [ORG]}
    created = await admin.post("/api/v1/users", json=body)
    assert created.status_code == 201, created.text
    login = await admin.post(
        "/api/v1/auth/token", data={"username": name, "password": VIEWER_PASSWORD}, headers={}
    )
    assert login.status_code == 200, login.text
    token = login.json()["access_token"]
    return Viewer(created.json()["id"], {"Authorization": f"Bearer {token}"})


async def open_view(admin: httpx.AsyncClient, who: Viewer) -> dict[str, str]:
    started = await admin.post(f"/api/v1/channels/{CHANNEL}/live", headers=who.headers)
    assert started.status_code == 201, started.text
    body: dict[str, str] = started.json()
    return body


async def test_a_disabled_users_live_socket_closes_within_the_recheck(
    api: tuple[str, httpx.AsyncClient],
) -> None:
    _, admin = api
    who = await viewer(admin)
    live = await open_view(admin, who)
    async with websockets.connect(live["ws_fmp4"]) as ws:
        await playing(ws)
        disabled = await admin.patch(f"/api/v1/users/{who.user_id}", json={"disabled": True})
        assert disabled.status_code == 200, disabled.text
        code, took = await closed_within(ws, 10)
    assert code == 4401
    assert took < RECHECK + 1.0, f"closed {took:.2f} s after the user was disabled"
    assert (await admin.get(live["hls"], headers={})).status_code == 401
    with pytest.raises(websockets.InvalidStatus):
        async with websockets.connect(live["ws_fmp4"]):
            pass


async def test_logout_ends_the_sessions_urls(api: tuple[str, httpx.AsyncClient]) -> None:
    _, admin = api
    who = await viewer(admin)
    live = await open_view(admin, who)
    assert (await admin.get(live["hls"], headers={})).status_code == 200
    async with websockets.connect(live["ws_fmp4"]) as ws:
        await playing(ws)
        assert (await admin.post("/api/v1/auth/logout", headers=who.headers)).status_code == 204
        code, took = await closed_within(ws, 10)
    assert code == 4401 and took < RECHECK + 1.0
    assert (await admin.get(live["hls"], headers={})).status_code == 401
    with pytest.raises(websockets.InvalidStatus):
        async with websockets.connect(live["ws_fmp4"]):
            pass


async def test_a_user_who_loses_the_channels_scope_is_cut_off(
    api: tuple[str, httpx.AsyncClient],
) -> None:
    _, admin = api
    who = await viewer(admin)
    live = await open_view(admin, who)
    async with websockets.connect(live["ws_fmp4"]) as ws:
        await playing(ws)
        moved = await admin.patch(f"/api/v1/users/{who.user_id}", json={"scopes": ["3402"]})
        assert moved.status_code == 200, moved.text
        code, took = await closed_within(ws, 10)
    assert code == 4403 and took < RECHECK + 1.0
    assert (await admin.get(live["hls"], headers={})).status_code == 403


async def test_a_view_stops_at_expiry_unless_its_session_renews_it(
    api: tuple[str, httpx.AsyncClient], media_node: Vigil
) -> None:
    _, admin = api
    media_node.views.ttl = 2.0
    media_node.views.recheck = 30.0  # expiry alone must close it, not a periodic check
    who, other = await viewer(admin), await viewer(admin, "other")
    lapsing, renewed = await open_view(admin, who), await open_view(admin, who)
    renew = f"/api/v1/views/{renewed['session']}/renew"
    assert (await admin.post(renew, headers=other.headers)).status_code == 404  # not theirs

    async def keep_renewing() -> None:  # as the console does, only more often
        while True:
            answer = await admin.post(renew, headers=who.headers)
            assert answer.status_code == 200, answer.text
            await asyncio.sleep(0.5)

    renewing = asyncio.create_task(keep_renewing())
    async with (
        websockets.connect(lapsing["ws_fmp4"]) as first,
        websockets.connect(renewed["ws_fmp4"]) as second,
    ):
        await playing(first)
        await playing(second)
        expiry = time.time() + 2.0  # at the latest: the view was opened before
        code, _ = await closed_within(first, 10)
        late = time.time() - expiry
        assert code == 4401
        assert late < 0.5, f"streamed {late:.2f} s past expiry"
        # The renewed one plays on, well past two lifetimes.
        until = time.monotonic() + 4.5
        while time.monotonic() < until:
            assert isinstance(await asyncio.wait_for(second.recv(), 2), bytes)
        assert not renewing.done()
        renewing.cancel()
    assert (await admin.get(lapsing["hls"], headers={})).status_code == 401
    assert (await admin.get(renewed["hls"], headers={})).status_code == 200
    # Too late to renew; the login session itself is fine (no 401: the console stays logged in).
    late_renewal = f"/api/v1/views/{lapsing['session']}/renew"
    assert (await admin.post(late_renewal, headers=who.headers)).status_code == 404
    assert (await admin.get("/api/v1/auth/me", headers=who.headers)).status_code == 200
