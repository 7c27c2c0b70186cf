"""Resource tree at city scale: the time of each tree call at 100,000 channels.

Run as ``.venv/bin/python bench/tree.py``. One Vigil node on SQLite in a temporary directory gets
the city catalog of ``vigil.sim.city_catalog`` (a province, 10 cities, 1,000 NVRs, 100,000
channels) written into its database; each tree call then runs ``ROUNDS`` times through the HTTP
API in process (FastAPI, authentication, the service, SQLite), and the median and spread of its
wall time are reported.

The reference is what the console did before on every open: read every organisation, device and
channel through the list API, 500 a page, at most 100 pages per list (so it stopped silently at
50,000 channels), and build the tree and its counts in the browser. The reference's time is its
reads only: it counts nothing on the server, and its lists are missing the channels past the cap.

The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from vigil.api.server import create_api
from vigil.app import Vigil
from vigil.config import load_settings
from vigil.sim.city_catalog import LANDMARK, seed_city

ROUNDS = 7
PASSWORD = "Bench-Tree-Pass-1"


async def _timed(client: httpx.AsyncClient, path: str) -> tuple[list[float], Any]:
    times, body = [], None
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = await client.get(f"/api/v1{path}")
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.text
        body = response.json()
    return times, body


async def _old_open(client: httpx.AsyncClient) -> tuple[float, dict[str, int]]:
    """The old console's open: every list, 500 a page, 100 pages at most."""
    start = time.perf_counter()
    counts = {}
    for path in ("/organisations", "/devices", "/channels"):
        items, cursor = 0, None
        for _ in range(100):
            params = {"limit": 500} | ({"cursor": cursor} if cursor else {})
            page = (await client.get(f"/api/v1{path}", params=params)).json()
            items += len(page["items"])
            cursor = page["next"]
            if not cursor:
                break
        counts[path.strip("/")] = items
    return (time.perf_counter() - start) * 1000, counts


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        settings = load_settings(data_dir=data_dir, admin_password=PASSWORD)
        node = Vigil(settings)
        await node.start()
        try:
            started = time.perf_counter()
            scale = seed_city(data_dir / "vigil.db")
            seeded = time.perf_counter() - started
            transport = httpx.ASGITransport(app=create_api(node), client=("127.0.0.1", 40000))
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                token = await client.post(
                    "/api/v1/auth/token", data={"username": "admin", "password": PASSWORD}
                )
                client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
                calls = {
                    "first view (/tree/start)": "/tree/start",
                    "roots": "/tree/roots",
                    "province's 10 cities": f"/tree/organisations/{scale.province}/children",
                    "a city's 100 NVRs": f"/tree/organisations/{scale.cities[0]}/children",
                    "an NVR's 100 cameras": f"/tree/devices/{scale.first_device}/children",
                    "search by name": f"/tree/search?q={LANDMARK[:4]}",
                    "search by ID part": f"/tree/search?q={scale.landmark_channel[-10:]}",
                }
                figures: dict[str, Any] = {"channels": scale.channels, "seed_s": round(seeded, 1)}
                print(f"{scale.channels:,} channels seeded in {seeded:.1f} s; {ROUNDS} rounds each")
                print(f"{'call':<28} {'median ms':>10} {'min':>8} {'max':>8}")
                for name, path in calls.items():
                    times, _ = await _timed(client, path)
                    median = statistics.median(times)
                    figures[name] = {
                        "median_ms": round(median, 1),
                        "min_ms": round(min(times), 1),
                        "max_ms": round(max(times), 1),
                    }
                    print(f"{name:<28} {median:>10.1f} {min(times):>8.1f} {max(times):>8.1f}")
                old_ms, old_counts = await _old_open(client)
                figures["reference: old open (all lists)"] = {"ms": round(old_ms), **old_counts}
                print(
                    f"{'reference: old open':<28} {old_ms:>10.0f}   read {old_counts['channels']:,}"
                    f" of {scale.channels:,} channels (capped), no counts on the server"
                )
        finally:
            await node.stop()
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    asyncio.run(main())
