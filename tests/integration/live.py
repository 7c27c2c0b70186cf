"""Run ``vigil`` as a real process on a loopback port, as an operator would."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx

from tests import hash_cost
from tests.ports import free_port, rtp_range

VIGIL = [sys.executable, "-m", "vigil.cli"]
__all__ = ["VIGIL", "LiveServer", "free_port", "live_vigil", "vigil_env"]


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen[str]
    first_lines: list[str]


def vigil_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a ``vigil`` process: this one's without its ``VIGIL_*`` variables, the
    data dir, the tests' password-hash cost, live analytics off (a demo would otherwise run the
    footage camera's rules in a worker for every test that starts one; the tests of analytics
    pass ``analytics_enabled="true"``), then ``extra`` as ``VIGIL_<NAME>``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIGIL_")}
    env["VIGIL_DATA_DIR"] = str(data_dir)
    env["VIGIL_ANALYTICS_ENABLED"] = "false"
    hash_cost.apply(env)
    env.update({f"VIGIL_{k.upper()}": v for k, v in extra.items()})
    return env


def _open_files(limit: int) -> Callable[[], None]:
    """For ``preexec_fn``: the child's soft and hard RLIMIT_NOFILE, as ``ulimit -n`` would."""

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))

    return apply


@contextmanager
def live_vigil(
    command: str,
    data_dir: Path,
    banner_lines: int = 1,
    *,
    session: bool = False,
    open_files: int | None = None,
    log: Path | None = None,
    **settings: str,
) -> Iterator[LiveServer]:
    """Start ``vigil <command>``, wait until /api/v1/health answers, stop it afterwards.

    HTTP and SIP each get a free port (``serve`` and ``demo`` bind SIP too), so processes started
    side by side never collide; ``settings`` may name either explicitly. With ``session`` the
    process leads a session of its own (its ID is the process's), which its children share.
    ``open_files`` runs it under that RLIMIT_NOFILE (soft and hard); ``log`` receives its
    standard error (its log).
    """
    port = free_port()
    settings = {"sip_port": str(free_port()), "rtp_ports": rtp_range(), **settings}
    env = vigil_env(data_dir, http_port=str(port), **settings)
    stderr: IO[str] | int = log.open("w") if log is not None else subprocess.DEVNULL
    process = subprocess.Popen(
        [*VIGIL, command],
        env=env,
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        start_new_session=session,
        preexec_fn=_open_files(open_files) if open_files is not None else None,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline().rstrip("\n") for _ in range(banner_lines)]
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, f"vigil {command} exited: {lines}"
            assert time.monotonic() < deadline, "vigil did not answer within 30 s"
            time.sleep(0.1)
        yield LiveServer(url, process, lines)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        if not isinstance(stderr, int):
            stderr.close()
