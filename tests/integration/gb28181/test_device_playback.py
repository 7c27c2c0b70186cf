"""Playback of a device's own recordings through the API (simulator ↔ server, real sockets).

A viewer asks ``POST /channels/{id}/device-playback``, opens the WebSocket and gets fMP4 remuxed
from the device's PS stream; what it sends (pause, resume, speed, seek) must reach the simulated
device as MANSRTSP in INFO (read back from the device's streamer); the device's MediaStatus 121
ends the session with ``{"type": "end"}``, our BYE, and every port and SSRC given back.
"""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import av
import httpx
import pytest
import websockets

from tests.conftest import ADMIN_PASSWORD, login
from tests.integration.gb28181.conftest import NodeFactory
from tests.integration.gb28181.simulated import Rig, start_rig, wait_for
from tests.integration.media.live_support import admin_headers, closed_within, serve
from vigil.governance.audit import AuditFilter
from vigil.governance.permissions import SYSTEM
from vigil.protocols.sip import SipRequest, make_response
from vigil.sim.sip_link import Respond
from vigil.store.models import OrgKind

#: A past range on whole seconds, as a recorder names it.
T0 = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)


#: Seconds an API call may take: starting a device's playback is an INVITE answered by the
#: simulated device and the first media, which took over httpx's default 5 s once in a parallel
#: run on a loaded two-core machine.
LOADED = 30.0


@pytest.fixture
async def rig(gb_factory: NodeFactory) -> AsyncIterator[Rig]:
    async for value in start_rig(gb_factory):
        yield value


@pytest.fixture
async def api(rig: Rig) -> AsyncIterator[tuple[str, httpx.AsyncClient]]:
    async with serve(rig.node) as url:
        headers = await admin_headers(url)
        async with httpx.AsyncClient(base_url=url, headers=headers, timeout=LOADED) as http:
            yield url, http


def span(seconds: float, **extra: Any) -> dict[str, Any]:
    end = (T0 + timedelta(seconds=seconds)).isoformat()
    return {"start": T0.isoformat(), "end": end, "purpose": "device playback test", **extra}


def decoded(chunks: list[bytes]) -> int:
    """Frames PyAV decodes from an init segment and the fragments after it."""
    with av.open(io.BytesIO(b"".join(chunks)), "r", format="mp4") as container:
        return sum(1 for _ in container.decode(video=0))


async def until_end(ws: websockets.ClientConnection) -> tuple[dict[str, Any], list[bytes]]:
    """The init message, then init segment and fragments up to ``{"type": "end"}``."""
    init = json.loads(await ws.recv())
    assert init["type"] == "init", init
    chunks: list[bytes] = []
    while isinstance(message := await ws.recv(), bytes):
        chunks.append(message)
    assert json.loads(message) == {"type": "end"}
    return init, chunks


@pytest.mark.parametrize("transport", ["udp", "tcp_active", "tcp_passive"])
async def test_playback_decodes_from_the_first_fragment_and_end_of_file_frees_everything(
    rig: Rig, api: tuple[str, httpx.AsyncClient], transport: str
) -> None:
    node, sim = rig.node, rig.device
    _, http = api
    channel = rig.channels[0]
    body = span(2, speed=2, transport=transport)
    started = await http.post(f"/api/v1/channels/{channel}/device-playback", json=body)
    assert started.status_code == 201, started.text
    session = started.json()
    assert session["ws_fmp4"].startswith("ws://") and session["session"] in session["ws_fmp4"]
    (ours,) = node.gb_media.calls.values()
    assert ours.kind == "playback" and ours.transport == transport and ours.ssrc.startswith("1")
    (theirs,) = sim.calls.active.values()
    assert theirs.plan.kind.value == "Playback" and theirs.plan.ssrc == ours.ssrc
    assert theirs.plan.start == int(T0.timestamp()) and theirs.plan.duration == 2.0
    listed = (await http.get("/api/v1/sessions")).json()["items"]
    assert [(s["kind"], s["channel_id"]) for s in listed] == [("playback", channel)]

    async with websockets.connect(session["ws_fmp4"]) as ws:
        init, chunks = await until_end(ws)
        assert init["codec"] == "h264" and init["speed"] == 2
        assert theirs.media.streamer is not None and theirs.media.streamer.speed == 2
        # 2 s at 25 fps: 50 frames, each its own fragment, all decodable from the first one.
        assert 45 <= len(chunks) - 1 <= 50, len(chunks)
        assert decoded(chunks) == len(chunks) - 1
        with pytest.raises(websockets.ConnectionClosedOK):
            await ws.recv()
    await wait_for(lambda: not sim.calls.active)  # our BYE after MediaStatus 121
    await wait_for(lambda: not node.gb_media.calls)
    assert not node.media.ports.in_use and not node.media.ssrcs.in_use
    assert not node.device_playback.sessions

    (record,) = await node.audit.page(SYSTEM, AuditFilter(action="video.playback"), None, 10)
    assert (record.actor, record.channel_id, record.outcome) == ("admin", channel, "ok")
    detail = json.loads(record.detail)
    assert detail["source"] == "device" and detail["device_id"] == sim.device_id
    assert detail["transport"] == transport


async def test_pause_resume_speed_and_seek_reach_the_device_as_mansrtsp(
    rig: Rig, api: tuple[str, httpx.AsyncClient]
) -> None:
    node, sim = rig.node, rig.device
    _, http = api
    started = await http.post(f"/api/v1/channels/{rig.channels[1]}/device-playback", json=span(60))
    assert started.status_code == 201, started.text
    (call,) = sim.calls.active.values()
    async with websockets.connect(started.json()["ws_fmp4"]) as ws:
        assert json.loads(await ws.recv())["type"] == "init"
        assert isinstance(await ws.recv(), bytes)  # the init segment
        streamer = call.media.streamer
        assert streamer is not None and not streamer.paused

        await ws.send(json.dumps({"type": "pause"}))
        await wait_for(lambda: streamer.paused)
        await ws.send(json.dumps({"type": "resume"}))
        await wait_for(lambda: not streamer.paused)
        await ws.send(json.dumps({"type": "speed", "speed": 4}))
        await wait_for(lambda: streamer.speed == 4)
        at = T0 + timedelta(seconds=40)
        await ws.send(json.dumps({"type": "seek", "at": at.isoformat()}))
        await wait_for(lambda: streamer.position >= 39.5)
        assert streamer.position < 50

        await ws.send(json.dumps({"type": "speed", "speed": 20}))
        await ws.send(json.dumps({"type": "seek", "at": (T0 - timedelta(1)).isoformat()}))
        errors: list[dict[str, Any]] = []
        while len(errors) < 2:
            if isinstance(message := await ws.recv(), str):
                errors.append(json.loads(message))
        assert [e["type"] for e in errors] == ["error", "error"]
        assert "speed" in errors[0]["detail"] and "outside" in errors[1]["detail"]
        assert streamer.speed == 4
    # Closing the WebSocket is the viewer leaving: BYE, port and SSRC back.
    await wait_for(lambda: not sim.calls.active)
    await wait_for(lambda: not node.gb_media.calls)
    assert not node.media.ports.in_use and not node.media.ssrcs.in_use


async def test_a_refused_invite_fails_with_its_stage_and_is_audited(
    rig: Rig, api: tuple[str, httpx.AsyncClient]
) -> None:
    node = rig.node
    _, http = api
    channel = rig.channels[2]

    async def busy(request: SipRequest, respond: Respond) -> None:
        respond(make_response(request, 486))

    rig.device.link.attach(channel, busy)
    refused = await http.post(f"/api/v1/channels/{channel}/device-playback", json=span(5))
    assert refused.status_code == 502, refused.text
    assert refused.json()["detail"].startswith("SDP rejected: INVITE answered 486")
    assert not node.media.ports.in_use and not node.media.ssrcs.in_use
    (record,) = await node.audit.page(SYSTEM, AuditFilter(action="video.playback"), None, 10)
    assert record.outcome == "stream-failed" and json.loads(record.detail)["source"] == "device"


async def test_a_viewer_without_the_channel_in_scope_is_refused(
    rig: Rig, api: tuple[str, httpx.AsyncClient]
) -> None:
    url, http = api
    await rig.node.organisations.create(SYSTEM, "3502", "厦门市", OrgKind.region, None)
    user = {"username": "xm-viewer", "password": "Xm-Viewer-Pass-1", "role": "viewer"}
    created = await http.post("/api/v1/users", json={**user, "scopes": ["3502"]})
    assert created.status_code == 201, created.text
    async with httpx.AsyncClient(base_url=url, timeout=LOADED) as anonymous:
        viewer = await login(anonymous, user["username"], user["password"])
        channel = rig.channels[0]
        playback = await anonymous.post(
            f"/api/v1/channels/{channel}/device-playback", json=span(5), headers=viewer
        )
        assert playback.status_code == 403, playback.text
        # A viewer has no video:export at all.
        download = await anonymous.post(
            f"/api/v1/channels/{channel}/device-downloads",
            json=span(5, purpose="case 7"),
            headers=viewer,
        )
        assert download.status_code == 403, download.text
    assert not rig.node.gb_media.calls and not rig.device.calls.active


async def test_logout_closes_the_playback_socket_and_ends_the_call(
    rig: Rig, api: tuple[str, httpx.AsyncClient]
) -> None:
    """The URL is bound to the login that opened it: logging out closes the open socket within
    the re-check period (4401), the call ends with a BYE, and the URL no longer opens."""
    node, sim = rig.node, rig.device
    url, _ = api
    node.views.recheck = 0.5
    async with httpx.AsyncClient(base_url=url, timeout=LOADED) as http:
        session = await login(http, "admin", ADMIN_PASSWORD)
        started = await http.post(
            f"/api/v1/channels/{rig.channels[0]}/device-playback", json=span(60), headers=session
        )
        assert started.status_code == 201, started.text
        ws_url = started.json()["ws_fmp4"]
        async with websockets.connect(ws_url) as ws:
            assert json.loads(await ws.recv())["type"] == "init"
            for _ in range(5):
                assert isinstance(await ws.recv(), bytes)
            assert (await http.post("/api/v1/auth/logout", headers=session)).status_code == 204
            code, took = await closed_within(ws, 10)
        assert code == 4401 and took < 1.5, (code, took)
    await wait_for(lambda: not sim.calls.active)
    await wait_for(lambda: not node.gb_media.calls)
    assert not node.media.ports.in_use and not node.media.ssrcs.in_use
    with pytest.raises(websockets.InvalidStatus):
        async with websockets.connect(ws_url):
            pass
