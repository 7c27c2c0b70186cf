"""Control through the API reaches a simulated device: PTZ, presets, device commands, RecordInfo.

Every call goes through the HTTP API (auth, scope, audit) and the SIP server to a ``SimDevice``,
whose control state is then read back: what the camera was told is what the API was asked.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.integration.gb28181.conftest import NodeFactory
from tests.integration.gb28181.simulated import Rig, admin_api, start_rig, wait_for
from vigil.governance.audit import AuditFilter
from vigil.governance.permissions import SYSTEM
from vigil.media.packet import StreamKey
from vigil.protocols.ptz import Motion, Pan, Preset, PresetAction, Zoom


@pytest.fixture
async def rig(gb_factory: NodeFactory) -> AsyncIterator[Rig]:
    async for value in start_rig(gb_factory):
        yield value


@pytest.fixture
async def api(rig: Rig) -> AsyncIterator[httpx.AsyncClient]:
    async for http in admin_api(rig.node):
        yield http


async def test_ptz_left_then_stop_reaches_the_camera_and_is_audited(
    rig: Rig, api: httpx.AsyncClient
) -> None:
    channel = rig.channels[0]
    left = await api.post(f"/api/v1/channels/{channel}/ptz", json={"action": "left", "speed": 64})
    assert left.status_code == 204, left.text
    ptz = rig.device.ptz(channel)
    await wait_for(lambda: bool(ptz.commands))
    assert ptz.motion == Motion(pan=Pan.LEFT, pan_speed=64)
    # The console's spelling ("command") works the same.
    stop = await api.post(f"/api/v1/channels/{channel}/ptz", json={"command": "stop"})
    assert stop.status_code == 204
    await wait_for(lambda: len(ptz.commands) == 2)
    assert ptz.motion is None and ptz.commands[-1] == Motion()
    zoom = await api.post(f"/api/v1/channels/{channel}/ptz", json={"action": "zoom_in"})
    assert zoom.status_code == 204
    await wait_for(lambda: len(ptz.commands) == 3)
    assert ptz.commands[-1] == Motion(zoom=Zoom.IN, zoom_speed=128 >> 4)
    bad = await api.post(f"/api/v1/channels/{channel}/ptz", json={"action": "spin", "speed": 1})
    assert bad.status_code == 422
    records = await rig.node.audit.page(SYSTEM, AuditFilter(action="device.ptz"), None, 10)
    assert len(records) == 3 and {r.channel_id for r in records} == {channel}


async def test_presets_set_list_call_delete(rig: Rig, api: httpx.AsyncClient) -> None:
    channel = rig.channels[0]
    for number in (3, 7):
        answer = await api.post(
            f"/api/v1/channels/{channel}/presets", json={"action": "set", "number": number}
        )
        assert answer.status_code == 204, answer.text
    ptz = rig.device.ptz(channel)
    await wait_for(lambda: set(ptz.presets) == {3, 7})
    listed = (await api.get(f"/api/v1/channels/{channel}/presets")).json()
    assert [p["id"] for p in listed["items"]] == [3, 7]
    goto = await api.post(f"/api/v1/channels/{channel}/presets/7/goto")
    assert goto.status_code == 204
    await wait_for(lambda: ptz.commands[-1] == Preset(PresetAction.CALL, 7))
    delete = await api.post(
        f"/api/v1/channels/{channel}/presets", json={"action": "delete", "number": 3}
    )
    assert delete.status_code == 204
    await wait_for(lambda: set(ptz.presets) == {7})


async def test_device_controls_guard_record_reboot_iframe(rig: Rig, api: httpx.AsyncClient) -> None:
    device, channel = rig.device, rig.channels[1]
    url = f"/api/v1/devices/{device.device_id}/control"
    for action in ("guard", "record_start"):
        answer = await api.post(url, json={"action": action, "channel_id": channel})
        assert answer.status_code == 204, answer.text
    assert device.controls.guard[channel] is True and device.controls.recording[channel] is True
    assert (await api.post(url, json={"action": "reboot"})).status_code == 204
    assert (
        await api.post(url, json={"action": "iframe", "channel_id": channel})
    ).status_code == 204
    await wait_for(lambda: device.controls.reboots == 1 and device.controls.keyframe_requests == 1)
    other = await api.post(url, json={"action": "guard", "channel_id": "34010400001320009999"})
    assert other.status_code == 404


async def test_device_records_are_paged(rig: Rig, api: httpx.AsyncClient) -> None:
    channel = rig.channels[2]
    end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    start = end - timedelta(hours=12)
    params: dict[str, str | int] = {"start": start.isoformat(), "end": end.isoformat(), "limit": 4}
    seen: list[dict[str, object]] = []
    cursor = None
    for _ in range(10):
        page = await api.get(
            f"/api/v1/channels/{channel}/device-records",
            params={**params, "cursor": cursor} if cursor else params,
        )
        assert page.status_code == 200, page.text
        body = page.json()
        seen.extend(body["items"])
        cursor = body["next"]
        if cursor is None:
            break
    # 12 hours, one file an hour, every 7th hour missing: 10 or 11 files over several pages.
    assert 10 <= len(seen) <= 11
    starts = [datetime.fromisoformat(str(item["start"])) for item in seen]
    assert starts == sorted(starts) and starts[0] >= start and all(s.tzinfo for s in starts)


async def test_sessions_lists_a_live_call(rig: Rig, api: httpx.AsyncClient) -> None:
    key = StreamKey(rig.channels[3])
    subscription = await rig.node.media.hub.subscribe(key)
    try:
        body = (await api.get("/api/v1/sessions")).json()
        (session,) = body["items"]
        assert session["channel_id"] == key.channel_id and session["kind"] == "live"
        assert session["transport"] == "udp" and session["viewers"] == 1
        assert len(session["ssrc"]) == 10 and session["port"] > 0
    finally:
        subscription.close()
    await wait_for(lambda: not rig.node.gb_media.calls)
    assert (await api.get("/api/v1/sessions")).json()["items"] == []
