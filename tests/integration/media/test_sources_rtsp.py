"""An RTSP camera served by GStreamer is pulled (TCP and UDP, with credentials) and played live."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import websockets

from tests.integration.media.live_support import (
    DEVICE,
    decode,
    media_node,
    open_live,
    serve,
    set_device,
)
from vigil.app import Vigil

__all__ = ["media_node"]  # the fixture, imported

pytestmark = pytest.mark.timeout(60)

SYSTEM_PYTHON = "/usr/bin/python3"
SERVER = Path(__file__).with_name("rtsp_server.py")
_PROBE = (
    "import gi; gi.require_version('GstRtspServer', '1.0'); from gi.repository import GstRtspServer"
)


def _gst_rtsp_missing() -> str | None:
    try:
        subprocess.run([SYSTEM_PYTHON, "-c", _PROBE], check=True, capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "GStreamer RTSP server missing: apt install gir1.2-gst-rtsp-server-1.0 python3-gi"
    return None


@pytest.fixture(scope="module")
def rtsp_port() -> Iterator[int]:
    missing = _gst_rtsp_missing()
    if missing:
        pytest.skip(missing)
    process = subprocess.Popen(
        [SYSTEM_PYTHON, str(SERVER), "cam", "Cam-Secret-1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        yield int(process.stdout.readline())
    finally:
        process.terminate()
        process.wait(10)


@pytest.mark.parametrize("transport", ["tcp", "udp"])
async def test_rtsp_camera_is_received(media_node: Vigil, rtsp_port: int, transport: str) -> None:
    url = f"rtsp://cam:Cam-Secret-1@127.0.0.1:{rtsp_port}/cam"
    await set_device(media_node, DEVICE, source="rtsp", url=url, transport=transport)
    async with serve(media_node) as base:
        live = await open_live(base)
        async with websockets.connect(live["ws_fmp4"]) as ws:
            init = await asyncio.wait_for(ws.recv(), 20)
            first = await asyncio.wait_for(ws.recv(), 10)
        assert isinstance(init, bytes) and isinstance(first, bytes)
        frames = decode(init + first)
        assert [(f.width, f.height, f.key_frame) for f in frames] == [(320, 240, True)]


async def test_wrong_password_ends_the_view(media_node: Vigil, rtsp_port: int) -> None:
    url = f"rtsp://cam:wrong@127.0.0.1:{rtsp_port}/cam"
    await set_device(media_node, DEVICE, source="rtsp", url=url)
    media_node.media.broadcasts.timeout = 2
    async with serve(media_node) as base:
        live = await open_live(base)
        async with websockets.connect(live["ws_fmp4"]) as ws:
            with pytest.raises(websockets.exceptions.ConnectionClosedError) as closed:
                await asyncio.wait_for(ws.recv(), 10)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4000
        assert "no keyframe" in closed.value.rcvd.reason
