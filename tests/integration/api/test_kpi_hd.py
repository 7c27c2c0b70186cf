"""The HD ratio judges a channel by the picture its stream carries once the stream was seen, and
by its catalog flag only until then; /kpis and the footprints say which basis each rests on.

Real streams: each camera is an MP4 encoded here with PyAV and played by the file source through
the stream hub, as a live view or a recording would start it.
"""

from __future__ import annotations

import asyncio
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import httpx
import numpy as np
from pytest import approx

from tests.integration.api.helpers import HEFEI_CHANNEL, TREE, WUHU_CHANNEL, build_tree
from vigil.app import Vigil
from vigil.media.packet import StreamKey
from vigil.store.models import Device

HEFEI_NVR, WUHU_NVR = (device for device, _ in TREE["devices"])


def mp4_clip(path: Path, width: int, height: int, seconds: int = 2, fps: int = 25) -> str:
    """An H.264 clip of ``width`` × ``height``, a keyframe every second."""
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.codec_context.gop_size = fps
        stream.codec_context.time_base = Fraction(1, fps)
        for i in range(seconds * fps):
            image = np.zeros((height, width, 3), np.uint8)
            image[:, : (i * 9) % width, 1] = 180
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts = i
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return str(path)


async def play(node: Vigil, channel_id: str) -> None:
    """Start the channel's main stream, take its first frame, leave; wait for what it told."""
    subscription = await node.media.hub.subscribe(StreamKey(channel_id))
    try:
        first = await asyncio.wait_for(anext(subscription), 10)
        assert first.keyframe
    finally:
        subscription.close()
    await node.media.resolutions.idle()


async def kpis(client: httpx.AsyncClient, admin: dict[str, str], org: str) -> dict[str, Any]:
    response = await client.get("/api/v1/kpis", params={"org": org}, headers=admin)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def footprint(client: httpx.AsyncClient, admin: dict[str, str], org: str) -> dict[str, Any]:
    response = await client.get("/api/v1/coverage/footprints", params={"org": org}, headers=admin)
    assert response.status_code == 200, response.text
    [feature] = response.json()["features"]
    properties: dict[str, Any] = feature["properties"]
    return properties


async def test_a_catalog_hd_channel_streaming_640x360_is_not_hd_once_seen(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil, tmp_path: Path
) -> None:
    await build_tree(client, admin)
    placed = {"longitude": 117.23, "latitude": 31.85, "heading": 90.0, "fov": 60.0}
    # Hefei's camera is HD by its catalog entry but streams 640×360; Wuhu's is SD by its entry
    # but streams 1280×720.
    for channel, hd in ((HEFEI_CHANNEL, True), (WUHU_CHANNEL, False)):
        body = {"hd": hd, **placed}
        response = await client.patch(f"/api/v1/channels/{channel}", headers=admin, json=body)
        assert response.status_code == 200, response.text
    clips = {HEFEI_NVR: (640, 360), WUHU_NVR: (1280, 720)}
    async with node.db.session() as session, session.begin():
        for device_id, (width, height) in clips.items():
            device = await session.get(Device, device_id)
            assert device is not None
            device.source = "file"
            device.url = mp4_clip(tmp_path / f"{device_id}.mp4", width, height)

    hefei, wuhu = await kpis(client, admin, "3401"), await kpis(client, admin, "3402")
    assert (hefei["hd_ratio"]["value"], wuhu["hd_ratio"]["value"]) == (1.0, 0.0)
    assert hefei["hd_basis"] == {"stream": 0, "catalog": 1}
    seen = await footprint(client, admin, "3401")
    assert (seen["hd"], seen["hd_basis"], seen["pixels"]) == (True, "catalog", 1920)
    far_by_flag = seen["far_m"]

    await play(node, HEFEI_CHANNEL)
    await play(node, WUHU_CHANNEL)

    hefei, wuhu = await kpis(client, admin, "3401"), await kpis(client, admin, "3402")
    assert (hefei["hd_ratio"]["value"], wuhu["hd_ratio"]["value"]) == (0.0, 1.0)
    assert hefei["hd_basis"] == wuhu["hd_basis"] == {"stream": 1, "catalog": 0}
    province = await kpis(client, admin, "34")
    assert (province["hd_ratio"]["value"], province["hd_basis"]) == (
        0.5,
        {"stream": 2, "catalog": 0},
    )
    # The footprint reaches as far as 640 pixels carry a face at the observation density.
    seen = await footprint(client, admin, "3401")
    assert (seen["hd"], seen["hd_basis"], seen["pixels"]) == (False, "stream", 640)
    assert seen["far_m"] == approx(far_by_flag * 640 / 1920)
