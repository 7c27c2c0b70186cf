"""A swarm on shared sockets, and the ``vigil sim devices`` command as a real process."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from tests.integration.live import VIGIL, free_port, vigil_env
from tests.integration.sim.conftest import SMALL
from tests.integration.sim.platform import PASSWORD, Inbound, TestPlatform
from vigil.protocols.manscdp import DeviceInfoQuery, DeviceInfoResponse, Keepalive
from vigil.sim import Swarm, SwarmConfig


async def test_swarm_shares_sockets_and_routes_by_device(platform: TestPlatform) -> None:
    config = SwarmConfig(
        count=6,
        server=platform.address,
        password=PASSWORD,
        channels=2,
        devices_per_socket=3,
        keepalive_interval=0.5,
        video=SMALL,
    )
    swarm = Swarm(config)
    await swarm.start()
    try:
        await swarm.wait_registered(5)
        assert swarm.registered == 6
        sources = {r[3] for r in platform.registrations}
        assert len(sources) == 2  # three devices behind each socket
        target = swarm.devices[4].device_id
        await platform.manscdp(target, DeviceInfoQuery(sn=77, device_id=target))
        reply = await platform.next(lambda i: isinstance(i.message, DeviceInfoResponse))
        assert isinstance(reply.message, DeviceInfoResponse)
        assert reply.message.device_id == target
        moved = await swarm.devices[4].move_to("127.0.0.3")
        assert moved not in sources

        def moved_keepalive(item: Inbound) -> bool:
            return isinstance(item.message, Keepalive) and item.source == moved

        keepalive = await platform.next(moved_keepalive, timeout=3)
        assert isinstance(keepalive.message, Keepalive)
        assert keepalive.message.device_id == target
    finally:
        await swarm.stop()
    assert sum(r[1] == 0 for r in platform.registrations) == 6  # every one unregistered


async def test_cli_runs_devices_then_unregisters(platform: TestPlatform) -> None:
    host, port = platform.address
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "vigil.cli",
        "sim",
        "devices",
        "--server",
        f"{host}:{port}",
        "--count",
        "2",
        "--channels",
        "3",
        "--keepalive",
        "0.5",
        "--size",
        "320x180",
        "--bitrate",
        "300",
        "--gb-version",
        "2022",
        "--duration",
        "2",
        env={"VIGIL_SIP_PASSWORD": PASSWORD, "PATH": "/usr/bin:/bin"},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, stderr.decode()
    assert "2 of 2 registered" in stdout.decode()
    registered = [r for r in platform.registrations if r[1] > 0]
    assert {r[0] for r in registered} == {"34010400001180000001", "34010400001180000002"}
    assert all(r[2]["X-GB-Ver"] == "3.0" for r in registered)
    assert sum(r[1] == 0 for r in platform.registrations) == 2


async def run_cli(*args: str) -> tuple[int, str, str, float]:
    """``vigil sim ARGS`` as a real process: exit status, stdout, stderr, seconds it took."""
    started = time.monotonic()
    process = await asyncio.create_subprocess_exec(
        *VIGIL,
        "sim",
        *args,
        env=vigil_env(Path("/nonexistent")),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, stdout.decode(), stderr.decode(), time.monotonic() - started


async def test_cli_exits_1_when_no_device_registers(platform: TestPlatform) -> None:
    host, port = platform.address
    server = f"{host}:{port}"
    common = ("--server", server, "--password", "not-the-password", "--duration", "2")
    code, out, err, took = await run_cli("devices", *common, "--count", "2", "--size", "320x180")
    assert code == 1, (out, err)
    assert "0 of 2 registered" in out
    assert err.strip().splitlines()[-1] == f"vigil sim: no device registered to {server}"
    assert took < 30  # it waited for the run's 2 s, not 30 s more
    assert platform.challenges >= 2 and platform.registrations == []  # they tried, refused

    nobody = f"127.0.0.1:{free_port()}"
    code, out, err, _ = await run_cli("platform", "--server", nobody, *common[2:])
    assert code == 1, (out, err)
    assert err.strip().splitlines()[-1] == f"vigil sim: the platform did not register to {nobody}"
