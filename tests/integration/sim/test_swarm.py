"""A swarm on shared sockets, and the ``vigil sim devices`` command as a real process."""

from __future__ import annotations

import asyncio
import sys

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
