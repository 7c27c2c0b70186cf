"""``vigil serve`` and ``vigil demo`` as processes: a signal stops all of them (the diagnosis worker
and multiprocessing's resource tracker included), a start that cannot succeed says why in one line
and leaves nothing behind, and a fresh data dir is private."""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.integration.live import VIGIL, LiveServer, free_port, live_vigil, vigil_env
from tests.integration.processes import leftovers, session_members
from vigil.demo import CAMERAS

pytestmark = pytest.mark.timeout(180)

ADMIN_PASSWORD = "Process-Test-Pass-1"
DEVICE_PASSWORD = "Sim-Device-Pass-1"
UNREACHABLE = "postgresql+asyncpg://nobody@127.0.0.1:1/x"


def token(server: LiveServer, password: str) -> dict[str, str]:
    response = httpx.post(
        f"{server.url}/api/v1/auth/token", data={"username": "admin", "password": password}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@contextmanager
def sim_camera(sip_port: str) -> Iterator[None]:
    """One simulated GB/T 28181 camera (``vigil sim devices``) registered to 127.0.0.1:sip_port."""
    args = ["sim", "devices", "--server", f"127.0.0.1:{sip_port}", "--password", DEVICE_PASSWORD]
    args += ["--count", "1", "--channels", "1", "--size", "320x240", "--bitrate", "300"]
    process = subprocess.Popen(
        [*VIGIL, *args],
        env=vigil_env(Path("/nonexistent")),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        yield
    finally:
        process.terminate()
        process.wait(20)


def first_channel(server: LiveServer, headers: dict[str, str]) -> str:
    deadline = time.monotonic() + 30
    while True:
        items = httpx.get(f"{server.url}/api/v1/channels", headers=headers).json()["items"]
        if items:
            return str(items[0]["id"])
        assert time.monotonic() < deadline, "the simulated camera's channel never arrived"
        time.sleep(0.2)


@contextmanager
def node_with_a_camera(
    command: str, data_dir: Path
) -> Iterator[tuple[LiveServer, str, dict[str, str]]]:
    """``command`` running in a session of its own with a camera streaming to it: the demo's
    own, or for ``serve`` a simulated one; yields the server, the channel and admin headers."""
    if command == "demo":
        with live_vigil(
            "demo", data_dir, banner_lines=2, session=True, analytics_enabled="true"
        ) as server:
            password = server.first_lines[1].rpartition(" / ")[2]
            yield server, CAMERAS[0].id, token(server, password)
        return
    sip_port = str(free_port())
    with (
        live_vigil(
            "serve",
            data_dir,
            session=True,
            sip_port=sip_port,
            sip_password=DEVICE_PASSWORD,
            sip_admit_unknown="true",
            admin_password=ADMIN_PASSWORD,
        ) as server,
        sim_camera(sip_port),
    ):
        headers = token(server, ADMIN_PASSWORD)
        yield server, first_channel(server, headers), headers


@pytest.mark.parametrize(
    ("command", "signum", "to_group"),
    [
        ("serve", signal.SIGTERM, False),
        ("demo", signal.SIGTERM, False),
        ("demo", signal.SIGINT, True),  # Ctrl-C: a terminal signals the whole process group
        ("demo", signal.SIGKILL, False),  # no clean-up at all: the worker dies with its parent
    ],
    ids=["serve-SIGTERM", "demo-SIGTERM", "demo-Ctrl-C", "demo-SIGKILL"],
)
def test_a_signal_stops_every_process_of_the_node(
    tmp_path: Path, command: str, signum: signal.Signals, to_group: bool
) -> None:
    with node_with_a_camera(command, tmp_path / "data") as (server, channel, headers):
        # A diagnosis round runs in the worker process: now there is one to stop.
        round_ = httpx.post(
            f"{server.url}/api/v1/channels/{channel}/diagnose", headers=headers, timeout=60
        )
        assert round_.status_code == 200, round_.text
        # The demo's live analytics runs its footage camera's rules in a worker of its own too.
        workers = 2 if command == "demo" else 1
        deadline = time.monotonic() + 90
        while True:
            members = session_members(server.process.pid).values()
            spawned = sum("multiprocessing.spawn" in cmd for cmd in members)
            if spawned >= workers or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert spawned == workers, members
        assert any("resource_tracker" in cmd for cmd in members), members

        if to_group:
            os.killpg(server.process.pid, signum)
        else:
            server.process.send_signal(signum)
        clean = signum != signal.SIGKILL
        assert server.process.wait(30) == (0 if clean else -signal.SIGKILL)
        assert leftovers(server.process) == {}


def start_failing(data_dir: Path, command: str = "serve", **settings: str) -> tuple[int, str, str]:
    """Run ``vigil command`` that is expected to fail, in a session of its own; its exit status,
    output and error output, once nothing of its session is left."""
    values = {"http_port": str(free_port()), "sip_port": str(free_port()), **settings}
    process = subprocess.Popen(
        [*VIGIL, *command.split()],
        env=vigil_env(data_dir, **values),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    out, err = process.communicate(timeout=60)
    assert leftovers(process) == {}
    return process.returncode, out, err


@pytest.mark.parametrize("busy", ["HTTP", "SIP"])
def test_a_busy_port_is_one_line_and_no_banner(tmp_path: Path, busy: str) -> None:
    with socket.socket() as holder:  # TCP: for SIP, UDP binds and TCP fails, half-way
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        status, out, err = start_failing(tmp_path / "data", **{f"{busy.lower()}_port": str(port)})
    assert status != 0
    assert err.splitlines() == [
        f"vigil: cannot listen for {busy} on 127.0.0.1:{port}: Address already in use"
    ]
    assert "listening" not in out and "Vigil" not in out


@pytest.mark.parametrize("command", ["serve", "demo", "users list", "audit verify", "db upgrade"])
def test_an_unreachable_database_is_one_line(tmp_path: Path, command: str) -> None:
    status, out, err = start_failing(tmp_path / "data", command, database_url=UNREACHABLE)
    assert status != 0
    [line] = err.splitlines()
    assert line.startswith(f"vigil: cannot open the database at {UNREACHABLE}: "), line
    assert out == ""


def test_an_unusable_data_dir_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a directory")
    status, out, err = start_failing(tmp_path / "file" / "data")
    assert status != 0
    assert err.splitlines() == [
        f"vigil: cannot use the data dir {tmp_path / 'file' / 'data'}: Not a directory"
    ]
    assert out == ""


def test_a_fresh_data_dir_is_private(tmp_path: Path) -> None:
    data = tmp_path / "fresh"
    with live_vigil("serve", data, admin_password=ADMIN_PASSWORD):
        modes = {
            path.name: stat.S_IMODE(path.stat().st_mode)
            for path in [data, *data.iterdir()]
            if path.exists()
        }
    assert modes[data.name] == 0o700
    assert modes["vigil.db"] == 0o600
    assert modes["recordings"] == 0o700
    # The lock, and SQLite's -wal and -shm while the server runs: nothing for other users.
    assert all(mode & 0o077 == 0 for mode in modes.values()), modes
