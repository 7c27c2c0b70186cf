"""SIPp, with scenarios written here, plays a third-party upper platform for a lower Vigil:

* ``upper_platform.xml`` challenges Vigil's REGISTER with digest and checks the answer, queries
  the Catalog (every Response part must carry the right SumNum and only the shared channel),
  INVITEs the shared channel (ACK, BYE), and gets 404 for a DeviceControl and an INVITE of the
  unshared channel — which leave audit records;
* ``upper_flaky.xml`` then ``upper_restarted.xml`` play one that stops answering, then comes back
  "restarted": it refuses the old registration with 403 and wants a fresh digest REGISTER, after
  which it queries the Catalog again. Vigil re-registers within its back-off and re-sends the
  catalog.

The camera is a simulated NVR registered to the lower node (``vigil.sim``).
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.integration.gb28181.conftest import DEVICE_PASSWORD, free_sip_port
from tests.integration.gb28181.simulated import NVR, SMALL, wait_for
from tests.ports import binds
from tests.waiting import until
from vigil.app import Vigil
from vigil.gb28181.cascade.links import BACKOFF_CAP
from vigil.governance.permissions import SYSTEM
from vigil.sim import DeviceConfig, SimDevice
from vigil.store.models import AuditRecord, Channel
from vigil.store.models.platforms import Platform, PlatformDirection, PlatformShare, ShareKind

from .upper_nodes import LINK_PASSWORD, UPPER_DOMAIN, UPPER_ID, start_node

SIPP = shutil.which("sipp") or "/usr/bin/sipp"
SCENARIOS = Path(__file__).parents[2] / "sipp"
LOWER_ID = "34010400002000000001"
#: SIPp's exit status when the scenario itself ended the run (int_cmd stop_gracefully).
STOPPED_BY_SCENARIO = 97

pytestmark = pytest.mark.skipif(
    not Path(SIPP).exists(), reason="SIPp is not installed (Debian package sip-tester)"
)


class Rig:
    def __init__(self, node: Vigil, device: SimDevice) -> None:
        self.node = node
        self.device = device

    @property
    def shared(self) -> str:
        channel_id: str = self.device.channels[0].channel_id
        return channel_id

    @property
    def hidden(self) -> str:
        channel_id: str = self.device.channels[1].channel_id
        return channel_id


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[Rig]:
    node = await start_node(tmp_path, "lower", sip_id=LOWER_ID, sip_password=DEVICE_PASSWORD)
    node.media.hub.linger = 0.1
    await node.devices.create(SYSTEM, NVR, {"name": "sim NVR"})
    device = SimDevice(
        DeviceConfig(
            device_id=NVR,
            server=("127.0.0.1", node.gb.port),
            server_id=LOWER_ID,
            password=DEVICE_PASSWORD,
            channels=2,
            keepalive_interval=1.0,
            video=SMALL,
        )
    )
    await device.start()
    try:
        await device.wait_registered(10)

        async def catalogued() -> bool:
            async with node.db.session() as session:
                count = await session.scalar(
                    select(func.count()).select_from(Channel).where(Channel.device_id == NVR)
                )
            return bool(count == 2)

        await wait_for(catalogued)
        yield Rig(node, device)
    finally:
        await device.stop()
        await node.stop()


async def configure(rig: Rig, port: int, **fields: object) -> int:
    """The upper-platform row (SIPp at ``port``) sharing the first camera; links reloaded."""
    async with rig.node.db.session() as session, session.begin():
        platform = Platform(
            direction=PlatformDirection.UPPER,
            sip_id=UPPER_ID,
            domain=UPPER_DOMAIN,
            name="sipp",
            host="127.0.0.1",
            port=port,
            transport="udp",
            password=LINK_PASSWORD,
            **{"keepalive_interval": 3600, "items_per_message": 1, **fields},
        )
        session.add(platform)
        await session.flush()
        session.add(
            PlatformShare(platform_id=platform.id, kind=ShareKind.channel, target_id=rig.shared)
        )
        platform_id: int = platform.id
    await rig.node.upper_links.reload()
    return platform_id


async def start_sipp(
    rig: Rig, scenario: str, port: int, calls: int, tmp: Path
) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        SIPP,
        "-sf", str(SCENARIOS / scenario),
        "-i", "127.0.0.1",
        "-p", str(port),
        "-mp", str(free_sip_port()),
        "-m", str(calls),
        "-t", "u1",
        "-key", "lower", LOWER_ID,
        "-key", "lower_domain", LOWER_ID[:10],
        "-key", "upper", UPPER_ID,
        "-key", "domain", UPPER_DOMAIN,
        "-key", "password", LINK_PASSWORD,
        "-key", "channel", rig.shared,
        "-key", "hidden", rig.hidden,
        "-trace_logs",
        "-log_file", str(tmp / f"{scenario}.log"),
        "-timeout", "40",
        "-timeout_error",
        "-nostdin",
        "-trace_err",
        "-error_file", str(tmp / f"{scenario}.errors.log"),
        cwd=tmp,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def listening(process: asyncio.subprocess.Process, port: int) -> None:
    """Wait until SIPp holds its port; fail at once with its stderr if it exited instead.

    SIPp reads its scenario and opens its sockets before it binds, which took over 10 s once on
    a loaded CI machine, so the wait is generous; an early exit (a bad scenario, a port taken)
    is reported as that, not as a slow start."""

    def bound() -> bool:
        if process.returncode is not None:
            raise AssertionError(f"SIPp exited with {process.returncode} before binding {port}")
        return not binds(port)

    await until(bound, "SIPp binds its port", timeout=30)


async def finished(process: asyncio.subprocess.Process, scenario: str, tmp: Path) -> int:
    _, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    if process.returncode != 0:
        errors = tmp / f"{scenario}.errors.log"
        details = errors.read_text(errors="replace") if errors.exists() else ""
        print(stderr.decode(errors="replace"), details)  # noqa: T201
    return process.returncode


def catalog_parts(scenario: str, tmp: Path) -> list[tuple[int, str]]:
    """(SumNum, channel) of every Catalog Response part the scenario logged."""
    log = tmp / f"{scenario}.log"
    text = log.read_text(errors="replace")
    found = re.findall(r"(?:catalog part|cmd=Catalog) sumnum=(\d+) item=(\d+)", text)
    return [(int(sumnum), item) for sumnum, item in found]


async def test_sipp_upper_platform_registers_vigil_queries_and_plays(
    rig: Rig, tmp_path: Path
) -> None:
    port = free_sip_port()
    sipp = await start_sipp(rig, "upper_platform.xml", port, calls=2, tmp=tmp_path)
    await listening(sipp, port)
    platform_id = await configure(rig, port)
    assert await finished(sipp, "upper_platform.xml", tmp_path) == 0
    assert catalog_parts("upper_platform.xml", tmp_path) == [(1, rig.shared)]

    state = rig.node.upper_links.state(platform_id)
    assert state.registered and state.registrations == 1
    counters = rig.node.upper_links.counters(platform_id)
    assert counters.requests >= 5 and counters.failures >= 2
    async with rig.node.db.session() as session:
        records = (
            await session.scalars(
                select(AuditRecord).where(AuditRecord.actor == f"platform:{UPPER_ID}")
            )
        ).all()
    refused = [json.loads(r.detail) for r in records if r.outcome == "404"]
    assert {d.get("target") for d in refused} >= {rig.hidden}
    assert any(d.get("command") == "Control/DeviceControl" for d in refused)
    assert any(d["method"] == "INVITE" for d in refused)


async def test_sipp_flaky_upper_platform_gets_vigil_back_within_its_back_off(
    rig: Rig, tmp_path: Path
) -> None:
    port = free_sip_port()
    flaky = await start_sipp(rig, "upper_flaky.xml", port, calls=3, tmp=tmp_path)
    await listening(flaky, port)
    platform_id = await configure(rig, port, keepalive_interval=1, keepalive_missed=2)
    state = rig.node.upper_links.state(platform_id)
    assert await finished(flaky, "upper_flaky.xml", tmp_path) == 0
    assert state.registrations == 1
    await wait_for(lambda: not state.registered, timeout=10)

    restarted = await start_sipp(rig, "upper_restarted.xml", port, calls=1000, tmp=tmp_path)
    loop = asyncio.get_running_loop()
    await wait_for(lambda: "403" in (state.last_error or ""), timeout=2 * BACKOFF_CAP)
    refused_at, failures = loop.time(), state.register_failures
    await wait_for(lambda: state.registered, timeout=BACKOFF_CAP + 5)
    took = loop.time() - refused_at
    assert await finished(restarted, "upper_restarted.xml", tmp_path) in (0, STOPPED_BY_SCENARIO)
    assert catalog_parts("upper_restarted.xml", tmp_path) == [(1, rig.shared)]
    assert state.registrations == 2
    # After the refusal, the next REGISTER waits at most the back-off step of that failure
    # (attempt n = failures since the last registration - 1: at most 2^n s), plus the exchange.
    assert failures >= 2  # the unanswered keepalives, then REGISTERs to nobody or the 403
    assert took <= min(BACKOFF_CAP, 2 ** (failures - 1)) + 1.0
