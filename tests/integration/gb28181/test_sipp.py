"""SIPp plays a device against the server: register with digest and keepalive, over UDP and TCP."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from tests.integration.gb28181.conftest import DEVICE_ID, DEVICE_PASSWORD, free_sip_port
from vigil.app import Vigil

SIPP = shutil.which("sipp") or "/usr/bin/sipp"
SCENARIOS = Path(__file__).parents[2] / "sipp"

pytestmark = pytest.mark.skipif(
    not Path(SIPP).exists(), reason="SIPp is not installed (Debian package sip-tester)"
)


async def run_sipp(node: Vigil, scenario: str, password: str, transport: str, tmp: Path) -> int:
    settings = node.settings
    process = await asyncio.create_subprocess_exec(
        SIPP,
        f"127.0.0.1:{node.gb.port}",
        "-sf", str(SCENARIOS / scenario),
        "-m", "1",
        "-i", "127.0.0.1",
        "-p", str(free_sip_port()),
        "-t", "u1" if transport == "udp" else "t1",
        "-au", DEVICE_ID,
        "-ap", password,
        "-key", "device", DEVICE_ID,
        "-key", "domain", settings.sip_domain,
        "-key", "platform", settings.sip_id,
        "-timeout", "20",
        "-timeout_error",
        "-nostdin",
        "-trace_err",
        "-error_file", str(tmp / "sipp_errors.log"),
        cwd=tmp,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode is not None
    if process.returncode != 0:
        errors = tmp / "sipp_errors.log"
        print(stderr.decode(errors="replace"), errors.read_text() if errors.exists() else "")  # noqa: T201
    return process.returncode


@pytest.mark.parametrize("transport", ["udp", "tcp"])
async def test_sipp_registers_with_digest_and_keeps_alive(
    gb_node: Vigil, tmp_path: Path, transport: str
) -> None:
    code = await run_sipp(gb_node, "register_keepalive.xml", DEVICE_PASSWORD, transport, tmp_path)
    assert code == 0
    presence = gb_node.gb.device(DEVICE_ID)
    assert presence is not None and presence.online and presence.transport == transport


async def test_sipp_wrong_password_gets_403(gb_node: Vigil, tmp_path: Path) -> None:
    code = await run_sipp(
        gb_node, "register_wrong_password.xml", "not-the-password", "udp", tmp_path
    )
    assert code == 0
    assert gb_node.gb.device(DEVICE_ID) is None
