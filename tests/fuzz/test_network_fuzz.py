"""Fuzz a running node over its own sockets, and check it keeps serving a good device and user.

A real ``vigil serve`` process; a simulated camera registered to it with digest; a viewer logged
in. Then, phase by phase, bounded in count and in time: mutated SIP over UDP and over TCP (from
other loopback addresses, as an attacker elsewhere would send), mutated HTTP requests to every
route of the published OpenAPI document and raw mutated HTTP bytes, mutated WebSocket messages.
After each phase the camera's keepalive must be answered 200 and it must be online at its own
address, and the viewer must read it through the API. At the end: no HTTP answer was a 5xx, the
server logged no traceback and is still running.

The seed is fixed so a CI failure reproduces (``VIGIL_FUZZ_SEED`` picks another, and
``VIGIL_NET_FUZZ_SECONDS`` the time per phase). Routes that make the node contact an address taken
from the request (upper platforms) are left out: tests send traffic only to loopback.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import re
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from tests.fuzz.mutate import mutate, mutate_lines
from tests.fuzz.sip_corpus import sip_seeds
from tests.integration.live import VIGIL, free_port, vigil_env
from vigil.api.pagination import encode_cursor
from vigil.protocols.manscdp import Keepalive
from vigil.sim import DeviceConfig, SimDevice

pytestmark = pytest.mark.fuzz

SEED = int(os.environ.get("VIGIL_FUZZ_SEED", "28181"))
SECONDS = float(os.environ.get("VIGIL_NET_FUZZ_SECONDS", "12"))
MAX_MESSAGES = 3000
ADMIN_PASSWORD = "Fuzz-Admin-Pass-7"
VIEWER_PASSWORD = "Fuzz-Viewer-Pass-7"
SIP_PASSWORD = "Fuzz-Device-Pass-7"
DEVICE_ID = "34010400001320000001"
#: Attackers' addresses: other loopback hosts, so the camera's own address is never throttled.
UDP_ATTACKER, TCP_ATTACKER = "127.0.0.2", "127.0.0.3"
#: Left out of the HTTP fuzz: they would send traffic off loopback (upper platforms register
#: to the address in the body), end the fuzzer's own session or count against the viewer's login.
EXCLUDED = re.compile(r"^/api/v1/(upper-platforms|auth/(token|logout|password)|users)")


@dataclass
class Node:
    url: str
    sip_port: int
    process: subprocess.Popen[bytes]
    stderr: Path
    admin: dict[str, str]
    viewer: dict[str, str]
    findings: list[str] = field(default_factory=list)


def _deadline() -> float:
    return time.monotonic() + SECONDS


@contextlib.asynccontextmanager
async def running_node(tmp_path: Path) -> AsyncIterator[Node]:
    port, sip_port = free_port(), free_port()
    env = vigil_env(
        tmp_path / "data",
        http_port=str(port),
        sip_port=str(sip_port),
        admin_password=ADMIN_PASSWORD,
        sip_password=SIP_PASSWORD,
        keepalive_interval="2",
        keepalive_missed="3",
        subscribe_expires="0",
    )
    stderr = tmp_path / "stderr.log"
    with stderr.open("wb") as err:
        process = subprocess.Popen(
            [*VIGIL, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=err
        )
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=url, timeout=10) as http:
            for _ in range(300):
                with contextlib.suppress(httpx.TransportError):
                    if (await http.get("/api/v1/health")).status_code == 200:
                        break
                assert process.poll() is None, stderr.read_text()[-2000:]
                await asyncio.sleep(0.1)
            admin = await _login(http, "admin", ADMIN_PASSWORD)
            created = await http.post(
                "/api/v1/users",
                headers=admin,
                json={
                    "username": "viewer",
                    "password": VIEWER_PASSWORD,
                    "role": "viewer",
                    "scopes": [],
                },
            )
            assert created.status_code == 201, created.text
            organisation = await http.post(
                "/api/v1/organisations", headers=admin, json={"id": "3401", "name": "合肥市"}
            )
            assert organisation.status_code == 201, organisation.text
            user_id = created.json()["id"]
            scoped = await http.patch(
                f"/api/v1/users/{user_id}", headers=admin, json={"scopes": ["3401"]}
            )
            assert scoped.status_code == 200, scoped.text
            device = await http.post(
                "/api/v1/devices",
                headers=admin,
                json={"id": DEVICE_ID, "name": "good camera", "organisation_id": "3401"},
            )
            assert device.status_code == 201, device.text
            viewer = await _login(http, "viewer", VIEWER_PASSWORD)
        yield Node(url, sip_port, process, stderr, admin, viewer)
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def _login(http: httpx.AsyncClient, username: str, password: str) -> dict[str, str]:
    answer = await http.post(
        "/api/v1/auth/token", data={"username": username, "password": password}
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


async def still_serving(node: Node, device: SimDevice, phase: str) -> None:
    """The camera's keepalive is answered and it is online at its own address; the viewer reads
    it; the process runs."""
    assert node.process.poll() is None, f"vigil exited during {phase}"
    answer = await device.send_manscdp(Keepalive(sn=device.next_sn(), device_id=DEVICE_ID))
    assert answer.status == 200, f"keepalive after {phase}: {answer.status}"
    host, port = device.address
    async with httpx.AsyncClient(base_url=node.url, timeout=10) as http:
        for _ in range(50):  # the status writer stores changes in batches, off the answer path
            seen = await http.get(f"/api/v1/devices/{DEVICE_ID}", headers=node.viewer)
            assert seen.status_code == 200, f"viewer after {phase}: {seen.text}"
            if seen.json()["online"]:
                break
            await asyncio.sleep(0.1)
    assert seen.json()["online"], f"camera offline after {phase}"
    assert seen.json()["address"] == f"{host}:{port}", f"camera moved during {phase}"


# SIP ------------------------------------------------------------------------------------------


def _sip_case(rng: random.Random, seeds: list[bytes]) -> bytes:
    seed = rng.choice(seeds)
    return mutate_lines(rng, seed) if rng.random() < 0.4 else mutate(rng, seed)


async def fuzz_sip_udp(node: Node, rng: random.Random) -> int:
    sockets = []
    for _ in range(4):
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind((UDP_ATTACKER, 0))
        sock.setblocking(False)
        sockets.append(sock)
    seeds = sip_seeds(DEVICE_ID, UDP_ATTACKER, sockets[0].getsockname()[1])
    sent, deadline = 0, _deadline()
    try:
        while sent < MAX_MESSAGES and time.monotonic() < deadline:
            with contextlib.suppress(BlockingIOError):
                rng.choice(sockets).sendto(
                    _sip_case(rng, seeds)[:65000], ("127.0.0.1", node.sip_port)
                )
            sent += 1
            if sent % 25 == 0:
                await asyncio.sleep(0.005)
    finally:
        for sock in sockets:
            sock.close()
    return sent


async def _tcp_connection(node: Node, rng: random.Random, seeds: list[bytes], count: int) -> int:
    """One connection writing ``count`` mutated messages in random pieces; it may end abruptly."""
    sent = 0
    try:
        reader, writer = await asyncio.open_connection(
            "127.0.0.1", node.sip_port, local_addr=(TCP_ATTACKER, 0)
        )
    except OSError:
        return 0
    try:
        for _ in range(count):
            data = _sip_case(rng, seeds)
            while data and not writer.is_closing():
                piece, data = data[: rng.randint(1, 1500)], data[rng.randint(1, 1500) :]
                writer.write(piece)
            await writer.drain()
            sent += 1
    except (ConnectionError, OSError):
        pass
    finally:
        if rng.random() < 0.5:
            writer.transport.abort()
        else:
            writer.close()
        with contextlib.suppress(ConnectionError, OSError):
            await reader.read(65536)
    return sent


async def fuzz_sip_tcp(node: Node, rng: random.Random) -> int:
    seeds = sip_seeds(DEVICE_ID, TCP_ATTACKER, 5060)
    sent, deadline = 0, _deadline()
    while sent < MAX_MESSAGES and time.monotonic() < deadline:
        batch = [_tcp_connection(node, rng, seeds, rng.randint(1, 20)) for _ in range(8)]
        sent += sum(await asyncio.wait_for(asyncio.gather(*batch), 30))
    return sent


# HTTP -----------------------------------------------------------------------------------------

_JSON_SEEDS = [
    b'{"id": "34010400001320000099", "name": "x", "organisation_id": "3401"}',
    b'{"start": "2026-12-06T10:00:00+08:00", "end": "2026-12-06T10:05:00+08:00", "speed": 1}',
    b'{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": '
    b'{"type": "Point", "coordinates": [117.2, 31.8]}, "properties": {"name": "a"}}]}',
    b'{"command": "left", "speed": 5, "preset": 1}',
    b'{"name": "g", "parent_id": null, "channels": ["34010400001320000001"]}',
    b"[]",
]
_PARAM_VALUES = [
    "1",
    "0",
    "-1",
    "34010400001320000099",
    "x" * 300,
    "%00",
    "..%2F..",
    "9" * 30,
    "中",
]
#: Query values that reach past validation: cursors this server makes (an int beyond int64, a
#: string key with a NUL) and the ends of the calendar after a time-zone shift.
_QUERY_VALUES = [
    *_PARAM_VALUES,
    encode_cursor(2**70),
    encode_cursor("\x00"),
    "9999-12-31T23:59:59+00:00",
    "0001-01-01T00:00:00+14:00",
    "2026-12-06T10:00:00",
]


def _http_request(rng: random.Random, route: tuple[str, str, list[str]]) -> dict[str, Any]:
    method, path, query = route
    path = re.sub(r"\{[^}]+\}", lambda _: rng.choice(_PARAM_VALUES), path)
    params = {name: rng.choice(_QUERY_VALUES) for name in query if rng.random() < 0.7}
    body = mutate(rng, rng.choice(_JSON_SEEDS)) if rng.random() < 0.8 else rng.choice(_JSON_SEEDS)
    kind = rng.choice(["application/json", "application/json", "text/plain", "multipart/form-data"])
    return {
        "method": method,
        "url": path,
        "params": params,
        "content": body,
        "headers": {"Content-Type": kind},
    }


async def fuzz_http(node: Node, rng: random.Random) -> int:
    async with httpx.AsyncClient(base_url=node.url, timeout=20) as http:
        spec = (await http.get("/api/v1/openapi.json")).json()
        routes = [
            (
                method.upper(),
                path,
                [p["name"] for p in op.get("parameters", []) if p.get("in") == "query"],
            )
            for path, ops in spec["paths"].items()
            if not EXCLUDED.match(path)
            for method, op in ops.items()
        ]
        sent, deadline = 0, _deadline()
        while sent < MAX_MESSAGES and time.monotonic() < deadline:
            request = _http_request(rng, rng.choice(routes))
            if rng.random() < 0.8:
                request["headers"].update(node.admin)
            try:
                answer = await http.request(**request)
            except httpx.HTTPError as exc:
                node.findings.append(f"{request['method']} {request['url']}: {exc!r}")
                continue
            sent += 1
            if answer.status_code >= 500:
                node.findings.append(
                    f"{request['method']} {request['url']} {request['params']} -> "
                    f"{answer.status_code} {answer.text[:200]}"
                )
    return sent


_RAW_HTTP = [
    b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n",
    b"POST /api/v1/devices HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    b'Content-Length: 13\r\n\r\n{"name": "a"}',
    b"GET /api/v1/events HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
]


async def _raw_http_case(node: Node, port: int, data: bytes) -> None:
    """One connection, one mutated request; a server that waits for more bytes is left after 1 s."""
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return
    try:
        writer.write(data)
        await writer.drain()
        head = await asyncio.wait_for(reader.read(4096), 1)
    except (OSError, TimeoutError):
        return
    finally:
        writer.close()
    if re.match(rb"HTTP/1\.[01] 5\d\d", head):
        node.findings.append(f"raw HTTP {data[:80]!r} -> {head[:80]!r}")


async def fuzz_raw_http(node: Node, rng: random.Random) -> int:
    port = int(node.url.rsplit(":", 1)[1])
    sent, deadline = 0, _deadline()
    while sent < MAX_MESSAGES // 4 and time.monotonic() < deadline:
        cases = []
        for _ in range(16):
            seed = rng.choice(_RAW_HTTP)
            cases.append(mutate_lines(rng, seed) if rng.random() < 0.5 else mutate(rng, seed))
        await asyncio.gather(*(_raw_http_case(node, port, data) for data in cases))
        sent += len(cases)
    return sent


# WebSocket ------------------------------------------------------------------------------------


async def _ws_case(node: Node, rng: random.Random, token: str) -> None:
    base = node.url.replace("http://", "ws://")
    path = rng.choice(
        [
            "/api/v1/events",
            "/api/v1/live/abc/ws?token=1.x",
            "/api/v1/playback/abc/ws?token=1.x",
            "/api/v1/device-playback/abc/ws",
        ]
    )
    first = json.dumps({"token": token}).encode() if rng.random() < 0.5 else b'{"token": "x"}'
    async with websockets.connect(
        base + path, open_timeout=5, close_timeout=2, max_size=2**20
    ) as socket_:
        for _ in range(rng.randint(1, 6)):
            data = mutate(rng, first) if rng.random() < 0.7 else first
            if rng.random() < 0.5:
                await socket_.send(data.decode("utf-8", "replace"))
            else:
                await socket_.send(data)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(socket_.recv(), 0.2)


async def fuzz_websocket(node: Node, rng: random.Random) -> int:
    token = node.admin["Authorization"].removeprefix("Bearer ")
    sent, deadline = 0, _deadline()
    while sent < MAX_MESSAGES // 10 and time.monotonic() < deadline:
        with contextlib.suppress(websockets.WebSocketException, OSError, TimeoutError):
            await _ws_case(node, rng, token)
        sent += 1
    return sent


PHASES: list[tuple[str, Callable[[Node, random.Random], Awaitable[int]]]] = [
    ("sip-udp", fuzz_sip_udp),
    ("sip-tcp", fuzz_sip_tcp),
    ("http", fuzz_http),
    ("raw-http", fuzz_raw_http),
    ("websocket", fuzz_websocket),
]


async def test_node_keeps_serving_under_network_fuzz(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    async with running_node(tmp_path) as node:
        config = DeviceConfig(
            device_id=DEVICE_ID,
            server=("127.0.0.1", node.sip_port),
            password=SIP_PASSWORD,
            keepalive_interval=1.0,
            channels=1,
        )
        device = SimDevice(config)
        await device.start()
        try:
            await device.wait_registered()
            await still_serving(node, device, "start")
            counts = {}
            for name, phase in PHASES:
                counts[name] = await phase(node, rng)
                await still_serving(node, device, name)
        finally:
            await device.stop()
        assert min(counts.values()) > 0, counts
        assert node.findings == [], f"seed {SEED}: " + "\n".join(node.findings[:20])
    log = node.stderr.read_text(errors="replace")
    assert "Traceback" not in log, f"seed {SEED}: {log[log.index('Traceback') - 500 :][:4000]}"
