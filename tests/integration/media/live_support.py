"""Test peers for the live media tests: a simulated GB camera and a Vigil served by uvicorn.

The camera encodes a short clip with PyAV (H.264 or H.265, once per codec), muxes it with the
protocol core's ``PsMuxer``, packetizes it with ``packetize_rtp`` and sends it in real time over
UDP, TCP (connecting: the platform is passive) or TCP (listening: the platform is active).
``GbTestProvider`` plays the part of the GB/T 28181 server (issue 4) at the media seam: it opens
a receiver, "INVITEs" the camera by starting it on the receiver's port and SSRC, and "BYEs" it by
stopping it.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import io
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import av
import httpx
import numpy as np
import pytest
import uvicorn
import websockets

from tests.conftest import ADMIN_PASSWORD
from tests.ports import free_port
from vigil.api.server import create_api
from vigil.app import Vigil
from vigil.config import load_settings
from vigil.media.packet import StreamKey
from vigil.media.service import MediaService
from vigil.media.sources.gb import GbSource
from vigil.media.sources.rtp_receiver import RtpTransport
from vigil.protocols.ps import PsMuxer, StreamType, packetize_rtp
from vigil.protocols.rtp_framing import frame_rfc4571
from vigil.store.models import Channel, Device, Organisation, OrgKind

FPS = 25
TICKS = 90000 // FPS
ORG, DEVICE, CHANNEL = "3401", "34010000001180000001", "34010000001320000001"
VIEWER_PASSWORD = "Tulip-Orbit-8462"
_ENCODERS = {"h264": ("libx264", StreamType.H264), "hevc": ("libx265", StreamType.H265)}


@functools.cache
def clip(
    codec: str, frames: int = 50, width: int = 320, height: int = 240, pattern: str = "bar"
) -> list[bytes]:
    """``frames`` Annex B frames, a keyframe every 25, no B-frames (a camera's encoding).

    ``pattern`` "bar": a green bar growing across black; "checks": 8-pixel checks moving one
    pixel a frame, busy everywhere (what a privacy mask must visibly blur)."""
    name, _ = _ENCODERS[codec]
    encoder = av.VideoCodecContext.create(name, "w")
    assert isinstance(encoder, av.VideoCodecContext)
    encoder.width, encoder.height, encoder.pix_fmt = width, height, "yuv420p"
    encoder.time_base, encoder.framerate = Fraction(1, FPS), Fraction(FPS)
    encoder.gop_size = FPS
    if name == "libx264":
        encoder.options = {"bframes": "0", "tune": "zerolatency", "sc_threshold": "0"}
    else:
        encoder.options = {"x265-params": "bframes=0:scenecut=0:log-level=error"}
    out: list[bytes] = []
    for i in range(frames):
        image = np.zeros((height, width, 3), np.uint8)
        if pattern == "checks":
            rows, columns = np.indices((height, width))
            image[...] = (((rows // 8 + (columns + i) // 8) % 2) * 200)[..., None]
        else:
            image[:, : (i * 7) % width, 1] = 200
        frame = av.VideoFrame.from_ndarray(image, format="rgb24").reformat(format="yuv420p")
        frame.pts = i
        out.extend(bytes(p) for p in encoder.encode(frame))
    out.extend(bytes(p) for p in encoder.encode(None))
    return out


@dataclass
class GbCamera:
    """Sends ``codec`` as PS over RTP at 25 fps until stopped; ``sent[i]``: frame i sent at."""

    codec: str
    ssrc: int
    pattern: str = "bar"
    sent: list[float] = field(default_factory=list)
    stopped: bool = False
    task: asyncio.Task[None] | None = None

    def packets(self, index: int) -> list[bytes]:
        frames = clip(self.codec, pattern=self.pattern)
        data = frames[index % len(frames)]
        muxer = PsMuxer(_ENCODERS[self.codec][1])
        pts = index * TICKS
        ps = muxer.mux_video(data, pts)
        seq = (index * 64) & 0xFFFF  # room for 64 packets a frame: no gaps between frames
        return packetize_rtp(ps, ssrc=self.ssrc, seq=seq, timestamp=pts & 0xFFFFFFFF)

    async def send_udp(self, port: int) -> None:
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(
            asyncio.DatagramProtocol, remote_addr=("127.0.0.1", port)
        )
        try:

            def send(packets: list[bytes]) -> None:
                for packet in packets:
                    transport.sendto(packet)

            await self._pace(send)
        finally:
            transport.close()

    async def send_tcp(self, writer: asyncio.StreamWriter) -> None:
        async def write(packets: list[bytes]) -> None:
            writer.write(b"".join(frame_rfc4571(p) for p in packets))
            await writer.drain()

        try:
            await self._pace(write)
        finally:
            writer.close()

    async def _pace(self, send: Callable[[list[bytes]], Awaitable[None] | None]) -> None:
        started = time.monotonic()
        index = 0
        while not self.stopped:
            self.sent.append(time.time())
            result = send(self.packets(index))
            if result is not None:
                await result
            index += 1
            await asyncio.sleep(max(0.0, started + index / FPS - time.monotonic()))

    def stop(self) -> None:
        self.stopped = True


@dataclass
class GbTestProvider:
    """Stands in for the GB/T 28181 server at the seam of ``vigil.media.sources.gb``."""

    media: MediaService
    codec: str = "h264"
    transport: RtpTransport = "udp"
    pattern: str = "bar"
    cameras: list[GbCamera] = field(default_factory=list)
    byes: int = 0

    async def open(self, key: StreamKey, device: Device) -> GbSource:
        receiver = await self.media.open_rtp_receiver(key, self.transport)
        camera = GbCamera(self.codec, int(receiver.ssrc), self.pattern)
        self.cameras.append(camera)
        if self.transport == "udp":
            camera.task = asyncio.create_task(camera.send_udp(receiver.port))
        elif self.transport == "tcp_passive":
            _, writer = await asyncio.open_connection("127.0.0.1", receiver.port)
            camera.task = asyncio.create_task(camera.send_tcp(writer))
        else:

            async def serve(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
                camera.task = asyncio.create_task(camera.send_tcp(writer))

            server = await asyncio.start_server(serve, "127.0.0.1", 0)
            receiver.remote = ("127.0.0.1", server.sockets[0].getsockname()[1])

        async def bye() -> None:
            self.byes += 1
            camera.stop()
            if camera.task is not None:
                await camera.task
            if self.transport == "tcp_active":
                server.close()

        return GbSource(receiver, on_stop=bye)


async def add_camera_channel(node: Vigil, source: str = "gb28181", url: str | None = None) -> None:
    """File one organisation, one device of the given source and one channel under it."""
    async with node.db.session() as session, session.begin():
        for row in (
            Organisation(id=ORG, name="合肥市", kind=OrgKind.region, path=f"{ORG}/"),
            Device(id=DEVICE, name="camera", organisation_id=ORG, source=source, url=url),
            Channel(id=CHANNEL, device_id=DEVICE, name="gate", organisation_id=ORG),
        ):
            session.add(row)
            await session.flush()


async def set_device(node: Vigil, device_id: str, **fields: str | None) -> None:
    """Point a device at another source (the catalog API does not set ``source``/``url`` yet)."""
    async with node.db.session() as session, session.begin():
        device = await session.get(Device, device_id)
        assert device is not None
        for name, value in fields.items():
            setattr(device, name, value)


@contextlib.asynccontextmanager
async def serve(node: Vigil) -> AsyncIterator[str]:
    """Serve ``node``'s API with uvicorn on a loopback port (WebSocket needs a real server)."""
    port = free_port()
    config = uvicorn.Config(
        create_api(node), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(), name="test.uvicorn")
    while not server.started:
        assert not task.done(), "uvicorn did not start"
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def admin_headers(url: str) -> dict[str, str]:
    # 30 s: the node answers in the test's own event loop, which a loaded machine slows.
    async with httpx.AsyncClient(base_url=url, timeout=30.0) as http:
        response = await http.post(
            "/api/v1/auth/token", data={"username": "admin", "password": ADMIN_PASSWORD}
        )
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
async def media_node(tmp_path: Path) -> AsyncIterator[Vigil]:
    settings = load_settings(
        data_dir=tmp_path / "data",
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'vigil.db'}",
        admin_password=ADMIN_PASSWORD,
        rtp_ports="31000-31019",
    )
    node = Vigil(settings)
    await node.start()
    node.media.hub.linger = 0.2
    await add_camera_channel(node)
    try:
        yield node
    finally:
        await node.stop()


async def open_live(url: str) -> dict[str, str]:
    async with httpx.AsyncClient(base_url=url, headers=await admin_headers(url)) as http:
        response = await http.post(f"/api/v1/channels/{CHANNEL}/live")
        assert response.status_code == 201, response.text
        body: dict[str, str] = response.json()
        return body


def decode(data: bytes) -> list[av.VideoFrame]:
    with av.open(io.BytesIO(data), "r") as container:
        return list(container.decode(video=0))


async def playing(ws: websockets.ClientConnection) -> None:
    """The init segment and a few fragments arrive: the view plays."""
    for _ in range(5):
        assert isinstance(await asyncio.wait_for(ws.recv(), 10), bytes)


async def closed_within(ws: websockets.ClientConnection, seconds: float) -> tuple[int, float]:
    """Drain fragments until the server closes the socket, for at most ``seconds``; its close
    code and how long that took."""
    started = time.monotonic()
    try:
        while (left := started + seconds - time.monotonic()) > 0:
            await asyncio.wait_for(ws.recv(), left)
    except websockets.ConnectionClosed as closed:
        assert closed.rcvd is not None, "the server did not close the socket"
        return closed.rcvd.code, time.monotonic() - started
    except TimeoutError:
        pass
    raise AssertionError(f"the socket still streams {seconds} s later")
