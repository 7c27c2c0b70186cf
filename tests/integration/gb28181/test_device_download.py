"""Download of a device's own recording through the API into one MP4 (simulator ↔ server).

``POST /channels/{id}/device-downloads`` INVITEs the simulated device with ``s=Download`` and
``a=downloadspeed``; the job writes the PS stream's frames, copied, into an MP4 that PyAV then
reads frame by frame. MediaStatus 121 ends the job (our BYE), and every port and SSRC is back.
"""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import av
import httpx
import pytest

from tests.integration.gb28181.conftest import NodeFactory
from tests.integration.gb28181.simulated import Rig, admin_api, start_rig, wait_for
from vigil.governance.audit import AuditFilter
from vigil.governance.permissions import SYSTEM
from vigil.protocols.sip import SipRequest, make_response
from vigil.sim.sip_link import Respond

T0 = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)


@pytest.fixture
async def rig(gb_factory: NodeFactory) -> AsyncIterator[Rig]:
    async for value in start_rig(gb_factory):
        yield value


@pytest.fixture
async def api(rig: Rig) -> AsyncIterator[httpx.AsyncClient]:
    async for http in admin_api(rig.node):
        yield http


def download(seconds: float, speed: int = 4) -> dict[str, Any]:
    end = T0 + timedelta(seconds=seconds)
    return {"start": T0.isoformat(), "end": end.isoformat(), "speed": speed, "purpose": "case 12"}


async def finished(http: httpx.AsyncClient, job: str) -> dict[str, Any]:
    """The job's status once it is no longer running (bounded in time)."""
    async with asyncio.timeout(10):
        while True:
            status: dict[str, Any] = (await http.get(f"/api/v1/device-downloads/{job}")).json()
            if status["state"] != "running":
                return status
            await asyncio.sleep(0.05)


async def test_download_at_speed_4_writes_a_readable_mp4_and_frees_everything(
    rig: Rig, api: httpx.AsyncClient
) -> None:
    node, sim = rig.node, rig.device
    channel = rig.channels[0]
    started = await api.post(f"/api/v1/channels/{channel}/device-downloads", json=download(3))
    assert started.status_code == 202, started.text
    job = started.json()
    assert job["state"] == "running" and job["speed"] == 4 and job["device_id"] == sim.device_id
    await wait_for(lambda: bool(sim.calls.active))
    (theirs,) = sim.calls.active.values()
    assert theirs.plan.kind.value == "Download" and theirs.plan.speed == 4
    assert theirs.plan.ssrc.startswith("1") and theirs.plan.duration == 3.0
    listed = (await api.get("/api/v1/sessions")).json()["items"]
    assert [(s["kind"], s["channel_id"]) for s in listed] == [("download", channel)]
    loop = asyncio.get_running_loop()
    began = loop.time()

    status = await finished(api, job["id"])
    took = loop.time() - began
    assert status["state"] == "done", status
    assert status["error"] is None and status["stage"] is None
    # 3 s at 4x: under a second of sending, far less than the range's 3 s.
    assert took < 2.5, took
    await wait_for(lambda: not sim.calls.active)  # our BYE after MediaStatus 121
    await wait_for(lambda: not node.gb_media.calls)
    assert not node.media.ports.in_use and not node.media.ssrcs.in_use

    video = await api.get(f"/api/v1/device-downloads/{job['id']}/video")
    assert video.status_code == 200 and video.headers["content-type"] == "video/mp4"
    assert len(video.content) == status["bytes"]
    with av.open(io.BytesIO(video.content), "r", format="mp4") as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        frames = list(container.decode(video=0))
    # 3 s at 25 fps is 75 frames; the MP4 starts at a keyframe, so every one decodes.
    assert 70 <= len(frames) <= 75, len(frames)
    assert len(frames) == status["frames"] and frames[0].key_frame
    duration = float(frames[-1].time - frames[0].time)
    assert 2.6 <= duration <= 3.0, duration

    exports = await node.audit.page(SYSTEM, AuditFilter(action="video.export"), None, 10)
    (export,) = exports
    detail = json.loads(export.detail)
    assert (export.actor, export.channel_id, detail["source"]) == ("admin", channel, "device")
    assert detail["purpose"] == "case 12" and detail["speed"] == 4
    downloads = await node.audit.page(SYSTEM, AuditFilter(action="video.download"), None, 10)
    assert [(d.actor, d.channel_id) for d in downloads] == [("admin", channel)]


async def test_a_refused_download_fails_with_its_stage(rig: Rig, api: httpx.AsyncClient) -> None:
    node = rig.node
    channel = rig.channels[1]

    async def refuse(request: SipRequest, respond: Respond) -> None:
        respond(make_response(request, 488))

    rig.device.link.attach(channel, refuse)
    started = await api.post(f"/api/v1/channels/{channel}/device-downloads", json=download(3))
    assert started.status_code == 202, started.text
    status = await finished(api, started.json()["id"])
    assert status["state"] == "failed" and status["stage"] == "SDP rejected", status
    assert status["error"].startswith("SDP rejected: INVITE answered 488")
    assert status["file"] is None
    video = await api.get(f"/api/v1/device-downloads/{started.json()['id']}/video")
    assert video.status_code == 409
    assert not node.media.ports.in_use and not node.media.ssrcs.in_use


async def test_bad_download_requests_are_refused(rig: Rig, api: httpx.AsyncClient) -> None:
    channel = rig.channels[0]
    no_purpose = {k: v for k, v in download(3).items() if k != "purpose"}
    for body in (download(3, speed=9), download(3, speed=0), no_purpose):
        answer = await api.post(f"/api/v1/channels/{channel}/device-downloads", json=body)
        assert answer.status_code == 422, answer.text
    unknown = await api.get("/api/v1/device-downloads/nope")
    assert unknown.status_code == 404
    assert not rig.device.calls.active
