"""City scale: 10,000 devices (40,000 channels), default subscriptions, 10 % reporting positions.

Run as ``PYTHONPATH=src .venv/bin/python bench/scale.py`` (no arguments, under five minutes). It
starts a real ``vigil serve`` process (SQLite in a temporary directory, the default settings, its
device register imported before it starts) pinned to CPU 0; the fleet
(:class:`vigil.sim.fleet.Fleet`) and the API probes run in this process on CPU 1. The fleet
registers every device, answers DeviceInfo, the Catalog (4 channels each) and the subscriptions
the server asks for (Catalog and Alarm of every device, MobilePosition of the type-138 ones, every
tenth), and keeps every device alive once a minute. Then two windows of ``WINDOW`` seconds:

* reference: the mobile devices stay silent, so the server receives and stores no positions;
* positions: every mobile device NOTIFYs a position every 5 s (200 a second at 10,000 devices).

Figures: server CPU in each window, % of one core (utime+stime from /proc/<pid>/stat, all its
threads); RSS per device after setup; p95 of the console's calls on open (auth/me, the
tree's first view, console settings), sampled about once a second, and the console's open with
two tree searches in a row (name part, ID part); rows lost (positions sent minus position rows
in the database at the end: 0);
"database is locked" lines in the server's log. A live start is not measured: the fleet carries
no media (it answers INVITE 488). The last line is one JSON object.
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import uvloop
from sqlalchemy import insert

from proc import cpu_seconds, free_port, rss_kb
from vigil.sim.fleet import Fleet, FleetConfig, fleet_ids

DEVICES = int(os.environ.get("BENCH_DEVICES", "10000"))
WINDOW = float(os.environ.get("BENCH_WINDOW", "30"))
SETUP_LIMIT = 180.0
CHANNELS = 4
MOBILE_EVERY = 10
PASSWORD = "Bench-Device-Pass-1"
ADMIN = "Bench-Admin-Pass-1"
CENTRE = "34010400"
TARGET_CPU = 60.0
TARGET_API_P95_MS = 500.0
#: What the console asks for when it opens (web/src/auth/session.tsx, web/src/tree/treeApi.ts):
#: the session, then the tree's first view; the map page adds its settings.
CONSOLE_CALLS = ["/auth/me", "/tree/start?limit=200", "/console/settings"]
#: A search in the tree, typed by an operator (a name part and an ID part).
SEARCHES = [
    "/tree/search?q=%E9%80%9A%E9%81%93%2012-&limit=50",  # "通道 12-"
    "/tree/search?q=3401040013&limit=50",
]
SERVER_CPU, CLIENT_CPU = {0}, {1}


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] if ordered else float("nan")


# the server ------------------------------------------------------------------------------------


async def import_devices(data_dir: Path) -> None:
    """Migrate the database, create the admin and import the device register, as an operator
    would before the first start."""
    from vigil.app import Vigil
    from vigil.config import load_settings
    from vigil.store.models import Device

    node = Vigil(load_settings(data_dir=data_dir, admin_password=ADMIN))
    await node.start()
    async with node.db.session() as session, session.begin():
        ids = fleet_ids(CENTRE, DEVICES, MOBILE_EVERY)
        await session.execute(insert(Device), [{"id": i, "name": f"设备 {i[-6:]}"} for i in ids])
    await node.stop()


def start_server(data_dir: Path, http_port: int, sip_port: int) -> Any:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIGIL_")}
    env.update(
        VIGIL_DATA_DIR=str(data_dir),
        VIGIL_HTTP_PORT=str(http_port),
        VIGIL_SIP_PORT=str(sip_port),
        VIGIL_SIP_PASSWORD=PASSWORD,
        VIGIL_ADMIN_PASSWORD=ADMIN,
    )
    log = (data_dir / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "vigil.cli", "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
        preexec_fn=lambda: os.sched_setaffinity(0, SERVER_CPU),
    )
    log.close()
    return process


async def wait_healthy(http: httpx.AsyncClient, process: Any) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if (await http.get("/health")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert process.poll() is None, "vigil serve exited"
        assert time.monotonic() < deadline, "vigil did not answer within 60 s"
        await asyncio.sleep(0.2)


async def log_in(http: httpx.AsyncClient) -> None:
    answer = await http.post("/auth/token", data={"username": "admin", "password": ADMIN})
    token = answer.raise_for_status().json()["access_token"]
    http.headers["Authorization"] = f"Bearer {token}"


# the console -----------------------------------------------------------------------------------


async def console_calls(http: httpx.AsyncClient, stop: asyncio.Event) -> list[float]:
    """The console's calls on open, one round a second until ``stop``; milliseconds each."""
    samples: list[float] = []
    while not stop.is_set():
        start = time.perf_counter()
        for path in CONSOLE_CALLS:
            t0 = time.perf_counter()
            response = await http.get(path)
            response.raise_for_status()
            samples.append((time.perf_counter() - t0) * 1000)
        await asyncio.sleep(max(0.0, 1.0 - (time.perf_counter() - start)))
    return samples


async def console_load(http: httpx.AsyncClient) -> tuple[float, int]:
    """Seconds for the console's open (session, then the tree's first view) and two searches;
    the number of channels the first view counts under its roots."""
    start = time.perf_counter()
    await http.get("/auth/me")
    first = (await http.get("/tree/start?limit=200")).raise_for_status().json()
    for path in SEARCHES:
        (await http.get(path)).raise_for_status()
    roots = first["levels"][0]["items"] if first.get("levels") else []
    counted = sum(int(node["channels"]) for node in roots)
    return time.perf_counter() - start, counted


# one run ---------------------------------------------------------------------------------------


async def wait_setup(fleet: Fleet, registered: int) -> bool:
    """Until every registered device answered its catalog query and took its subscriptions
    (Catalog and Alarm each, MobilePosition the mobile ones), or SETUP_LIMIT seconds."""
    mobiles = len(range(0, DEVICES, MOBILE_EVERY))
    deadline = time.perf_counter() + SETUP_LIMIT
    while time.perf_counter() < deadline:
        counts = fleet.counts
        if counts["answer:CatalogQuery"] >= registered and counts["subscribe"] >= (
            2 * registered + mobiles
        ):
            return True
        await asyncio.sleep(0.5)
    return False


def stored_positions(data_dir: Path) -> int:
    with sqlite3.connect(f"file:{data_dir / 'vigil.db'}?mode=ro", uri=True) as db:
        return int(db.execute("SELECT count(*) FROM device_positions").fetchone()[0])


async def window(server: Any, http: httpx.AsyncClient, fleet: Fleet) -> dict[str, Any]:
    """``WINDOW`` seconds of the fleet's steady traffic: CPU, console calls, console load."""
    sent = fleet.counts["position"]
    cpu0, w0 = cpu_seconds(server.pid), time.perf_counter()
    client0 = cpu_seconds(os.getpid())
    stop = asyncio.Event()
    probes = asyncio.create_task(console_calls(http, stop))
    await asyncio.sleep(WINDOW / 2)
    load_s, channels_counted = await console_load(http)
    await asyncio.sleep(max(0.0, WINDOW - (time.perf_counter() - w0)))
    window_s = time.perf_counter() - w0
    cpu = (cpu_seconds(server.pid) - cpu0) / window_s * 100
    client_cpu = (cpu_seconds(os.getpid()) - client0) / window_s * 100
    stop.set()
    samples = await probes
    return {
        "cpu_percent": round(cpu, 1),
        "client_cpu_percent": round(client_cpu, 1),
        "api_p95_ms": round(p95(samples), 1),
        "api_calls": len(samples),
        "console_open_s": round(load_s, 2),
        "tree_channels_counted": channels_counted,
        "positions_per_s": round((fleet.counts["position"] - sent) / window_s, 1),
    }


async def run() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """One server, one fleet: set up, the reference window (positions muted), the window with
    positions; the setup figures and each window's."""
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        await import_devices(data_dir)
        http_port, sip_port = free_port(), free_port()
        server = start_server(data_dir, http_port, sip_port)
        base = f"http://127.0.0.1:{http_port}/api/v1"
        fleet = Fleet(FleetConfig(DEVICES, ("127.0.0.1", sip_port), PASSWORD, CHANNELS))
        fleet.send_positions = False
        try:
            async with httpx.AsyncClient(base_url=base, timeout=60) as http:
                await wait_healthy(http, server)
                await log_in(http)
                rss_before = rss_kb(server.pid)
                await fleet.open()
                cpu0, t0 = cpu_seconds(server.pid), time.perf_counter()
                client0 = cpu_seconds(os.getpid())
                registered = await fleet.register_all()
                register_s = time.perf_counter() - t0
                traffic = asyncio.create_task(fleet.run(3600))  # keepalives from now on
                complete = await wait_setup(fleet, registered)
                setup_s = time.perf_counter() - t0
                setup_cpu = (cpu_seconds(server.pid) - cpu0) / setup_s * 100
                client_cpu = (cpu_seconds(os.getpid()) - client0) / setup_s * 100
                rss_after = rss_kb(server.pid)
                await asyncio.sleep(2)
                reference = await window(server, http, fleet)
                fleet.send_positions = True
                await asyncio.sleep(5)  # the first round of positions
                positions = await window(server, http, fleet)
                traffic.cancel()
                await fleet.settle()
                await asyncio.sleep(1.0)  # the report writer's next batch
                rows = stored_positions(data_dir)
        finally:
            fleet.close()
            server.terminate()
            server.wait(30)
        log = (data_dir / "server.log").read_text(errors="replace")
    counts = fleet.counts
    setup = {
        "registered": registered,
        "registrations_per_s": round(registered / register_s, 1),
        "setup_s": round(setup_s, 1),
        "setup_complete": complete,
        "setup_cpu_percent": round(setup_cpu, 1),
        "setup_client_cpu_percent": round(client_cpu, 1),
        "subscriptions": counts["subscribe"],
        "position_subscriptions": len(fleet.positions),
        "rss_kb_per_device": round((rss_after - rss_before) / DEVICES, 1),
        "keepalives_sent": counts["keepalive"],
        "keepalives_ok": counts["keepalive:200"],
        "positions_sent": counts["position"],
        "positions_ok": counts["position:200"],
        "position_rows": rows,
        "rows_lost": counts["position"] - rows,
        "retransmissions": counts["retransmission"],
        "unanswered": {k: v for k, v in counts.items() if k.endswith(":timeout")},
        "database_locked_lines": log.count("database is locked"),
    }
    return setup, reference, positions


def report(
    setup: dict[str, Any], reference: dict[str, Any], positions: dict[str, Any]
) -> dict[str, Any]:
    targets_met = (
        positions["cpu_percent"] < TARGET_CPU
        and setup["rows_lost"] == 0
        and setup["positions_sent"] > 0
        and positions["api_p95_ms"] < TARGET_API_P95_MS
    )
    print(f"{DEVICES} devices, {DEVICES * CHANNELS} channels, windows of {WINDOW:.0f} s")
    width = max(map(len, [*setup, *positions]))
    for name, value in setup.items():
        print(f"{name:<{width}}  {value}")
    print(f"{'window':<{width}}  {'positions':>12}  {'reference':>12}")
    for name in positions:
        print(f"{name:<{width}}  {positions[name]!s:>12}  {reference[name]!s:>12}")
    print(
        "reference: the same server and fleet in the window before, every device keeping alive "
        "and subscribed, but the mobile devices do not send (so the server does not receive or "
        "store) positions. Live start p95: not measured (the fleet carries no media)."
    )
    print(
        f"targets: server CPU < {TARGET_CPU:.0f} % of one core, 0 rows lost, console call p95 < "
        f"{TARGET_API_P95_MS:.0f} ms: {'met' if targets_met else 'NOT met'}"
    )
    return {
        "devices": DEVICES,
        "channels": DEVICES * CHANNELS,
        "window_s": WINDOW,
        **setup,
        **positions,
        "reference": reference,
        "live_start_p95_ms": None,
        "live_start": "not measured: the fleet carries no media",
        "target_cpu_percent": TARGET_CPU,
        "target_api_p95_ms": TARGET_API_P95_MS,
        "targets_met": targets_met,
    }


async def main() -> dict[str, Any]:
    os.sched_setaffinity(0, CLIENT_CPU)
    load_before = os.getloadavg()[0]
    setup, reference, positions = await run()
    setup["machine_load_1min"] = [round(load_before, 1), round(os.getloadavg()[0], 1)]
    return report(setup, reference, positions)


if __name__ == "__main__":
    print(json.dumps(uvloop.run(main())))
