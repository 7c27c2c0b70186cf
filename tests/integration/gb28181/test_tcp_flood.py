"""1,500 idle SIP TCP peers against ``vigil serve`` under ``ulimit -n 1024`` (issue 13).

Before, every connection was kept for ever: about a thousand of them used up the descriptors and
the HTTP API stopped answering, with nothing in the log. Now the node caps accepted connections
below its open-file limit and says so once: HTTP keeps answering, a registered device keeps alive
and a new device still registers over UDP while the flood holds its connections open.
"""

from __future__ import annotations

import asyncio
import resource
import socket
from pathlib import Path

import httpx

from tests.integration.gb28181.conftest import free_sip_port
from tests.integration.gb28181.device import DeviceConfig, TestDevice
from tests.integration.live import live_vigil
from tests.waiting import until

PASSWORD = "Device-Pass-1"
PEERS = 1500
HOSTS = 30  # 50 connections from each, under the per-address cap: only the total cap can bite
OPEN_FILES = 1024


def _room_for(sockets: int) -> None:
    """Raise this process's soft open-file limit so it can hold ``sockets`` sockets."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = sockets + 256
    if soft < wanted:
        assert hard == resource.RLIM_INFINITY or hard >= wanted, f"hard limit {hard} < {wanted}"
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


async def _flood(port: int, peers: list[socket.socket]) -> None:
    """Open ``PEERS`` TCP connections from 127.0.2.1..HOSTS, 50 at a time: paced so that the
    listen queue never overflows (an idle peer whose handshake the kernel dropped is never
    accepted, and would not hold a descriptor)."""
    for n in range(PEERS):
        sock = socket.socket()
        peers.append(sock)
        sock.bind((f"127.0.2.{n % HOSTS + 1}", 0))
        sock.setblocking(False)
        sock.connect_ex(("127.0.0.1", port))
        if n % 50 == 49:
            await asyncio.sleep(0.05)


def _device(device_id: str, port: int) -> TestDevice:
    return TestDevice(DeviceConfig(device_id, PASSWORD), ("127.0.0.1", port))


async def test_idle_tcp_flood_leaves_http_and_sip_serving(tmp_path: Path) -> None:
    _room_for(PEERS)
    sip_port = free_sip_port()
    log = tmp_path / "vigil.log"
    with live_vigil(
        "serve",
        tmp_path / "data",
        open_files=OPEN_FILES,
        log=log,
        sip_port=str(sip_port),
        sip_password=PASSWORD,
        sip_admit_unknown="true",
    ) as live:
        async with (
            _device("34010400001320000001", sip_port) as good,
            _device("34010400001320000002", sip_port) as fresh,
            httpx.AsyncClient(base_url=live.url, timeout=5) as http,
        ):
            assert (await good.register()).status == 200
            peers: list[socket.socket] = []
            try:
                await _flood(sip_port, peers)
                await until(lambda: "cap reached" in log.read_text(), "the total cap bites")
                for _ in range(5):
                    assert (await http.get("/api/v1/health")).status_code == 200
                    await asyncio.sleep(0.2)
                assert (await good.keepalive()).status == 200
                assert (await fresh.register()).status == 200
            finally:
                for sock in peers:
                    sock.close()
        assert live.process.poll() is None
    lines = [line for line in log.read_text().splitlines() if "cap reached" in line]
    assert len(lines) == 1 and "cap=total" in lines[0] and "limit=512" in lines[0], lines
