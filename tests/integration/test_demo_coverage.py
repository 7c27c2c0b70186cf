"""The demo district: its layers load, its KPIs compute, placement beats greedy on it; and a real
``vigil demo`` shows figures worth trusting: the two intact rates agree, the HD ratio is what the
streams are, coverage lies between 5 % and 95 %, the dome has presets, an auditor can log in."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from typing import Any

import av
import httpx
import pytest
from pytest import approx

from tests.integration.live import LiveServer, live_vigil
from vigil.app import Vigil
from vigil.coverage.demo_district import demo_layers
from vigil.coverage.hd import is_hd_size
from vigil.coverage.service import PlacementRequest
from vigil.demo import CAMERAS, ENCODER_CAMERAS, PRESETS, seed_demo
from vigil.governance.permissions import SYSTEM
from vigil.store.models import LayerKind

DISTRICT = "340104"
pytestmark = pytest.mark.timeout(300)  # a demo that never answers fails, not hangs


async def test_demo_district_layers_kpis_and_placement(node: Vigil) -> None:
    await seed_demo(node)
    await seed_demo(node)  # a second start loads nothing twice
    for kind, features in demo_layers().items():
        assert len(await node.gis.export(SYSTEM, kind, DISTRICT)) == len(features) > 0

    report = await node.coverage.kpis(SYSTEM, DISTRICT)
    figures = report.figures
    # No stream seen (no NVR runs here): footprints reach as the catalog flags say (1920 px
    # for HD), and the key areas of a few thousand m² each are partly seen.
    assert 0.05 < figures["coverage_rate"].value < 0.95  # type: ignore[operator]
    # Eight NVR cameras HD by the catalog, two analogue ones not.
    assert figures["hd_ratio"].value == 0.8
    assert (report.hd.by_stream, report.hd.by_catalog) == (0, 10)

    spots = await node.coverage.blind_spots(SYSTEM, DISTRICT)
    assert len(spots.key_areas) == 5
    assert len(spots.intersections) == 6

    [square] = [
        row
        for row, _ in await node.gis.export(SYSTEM, LayerKind.key_area)
        if row.name == "西园广场"
    ]
    advice = await node.coverage.placement(SYSTEM, PlacementRequest(count=4, area_id=square.id))
    assert len(advice.cameras) == 4
    assert advice.objective_m2 >= advice.greedy_objective_m2 > 0
    # The square is 100 × 80 m and its two cameras see a corner each: four more 60° sectors of
    # 26.6 m (π/6 · 26.604² = 370.6 m²) fit in what is unseen, whole or nearly.
    assert sum(c.gain_m2 for c in advice.cameras) == approx(4 * 370.6, rel=0.05)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_vigil("demo", tmp_path_factory.mktemp("demo"), banner_lines=3) as server:
        yield server


def credentials(line: str) -> tuple[str, str]:
    user, password = line.split(": ", 1)[1].split(" / ")
    return user, password


def session(server: LiveServer, line: int = 1) -> httpx.Client:
    user, password = credentials(server.first_lines[line])
    token = httpx.post(
        f"{server.url}/api/v1/auth/token", data={"username": user, "password": password}
    )
    assert token.status_code == 200, token.text
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    return httpx.Client(base_url=f"{server.url}/api/v1", headers=headers, timeout=30)


def get(http: httpx.Client, path: str, **params: str) -> Any:
    response = http.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_fresh_demos_intact_rates_agree(demo: LiveServer) -> None:
    with session(demo) as http:
        kpis = get(http, "/kpis", org=DISTRICT)
        days = {"from": kpis["intact_from"], "to": kpis["intact_to"]}
        total = get(http, "/intact-rate", org=DISTRICT, **days)["total"]
        # The same figure, and not a degenerate one: today's camera-days, one per camera filed;
        # the encoder's two cameras have never been online.
        assert kpis["intact_rate"]["value"] == total["rate"]
        assert total["camera_days"] == len(CAMERAS) + len(ENCODER_CAMERAS)
        assert total["intact"] == total["camera_days"] - len(ENCODER_CAMERAS)
        # The default periods agree too (the last 30 days, today included).
        assert get(http, "/intact-rate", org=DISTRICT)["total"] == total


def picture_size(jpeg: bytes) -> tuple[int, int]:
    with av.open(io.BytesIO(jpeg), "r") as image:
        frame = next(image.decode(video=0))
        return frame.width, frame.height


def test_the_hd_ratio_is_what_the_streams_are(demo: LiveServer) -> None:
    with session(demo) as http:
        channels = {c["id"]: c for c in get(http, "/channels", limit="100")["items"]}
        assert set(channels) == {c.id for c in CAMERAS + ENCODER_CAMERAS}
        hd = 0
        for channel_id, channel in channels.items():
            if channel["status"] != "online":
                hd += channel["hd"]  # never streamed: only the catalog's word
                continue
            snapshot = http.get(f"/channels/{channel_id}/snapshot")
            assert snapshot.status_code == 200, snapshot.text
            hd += is_hd_size(*picture_size(snapshot.content))
        # The old camera at 长江西路 × 肥西路 is HD by the catalog; its stream is D1.
        assert hd == len(CAMERAS) - 1
        deadline = time.monotonic() + 20
        while (kpis := get(http, "/kpis", org=DISTRICT))["hd_basis"]["stream"] < len(CAMERAS):
            assert time.monotonic() < deadline, kpis["hd_basis"]
            time.sleep(0.5)
        assert kpis["hd_basis"] == {"stream": len(CAMERAS), "catalog": len(ENCODER_CAMERAS)}
        assert kpis["hd_ratio"]["value"] == approx(hd / len(channels))


def test_coverage_lies_between_5_and_95_percent(demo: LiveServer) -> None:
    with session(demo) as http:
        kpis = get(http, "/kpis", org=DISTRICT)
        assert 0.05 <= kpis["coverage_rate"]["value"] <= 0.95
        footprints = get(http, "/coverage/footprints", org=DISTRICT)["features"]
        seen = [f["properties"] for f in footprints if f["properties"]["hd"]]
        # An HD camera's footprint reaches tens of metres (a 1280-px 40° one observes to 28 m).
        assert seen and all(20 <= f["far_m"] <= 60 for f in seen)


def test_the_dome_has_presets(demo: LiveServer) -> None:
    dome = CAMERAS[0]
    assert dome.ptz_type == 1
    with session(demo) as http:
        presets = get(http, f"/channels/{dome.id}/presets")["items"]
        assert {p["id"]: p["name"] for p in presets} == PRESETS


def test_the_auditor_reads_the_audit_log(demo: LiveServer) -> None:
    assert credentials(demo.first_lines[2])[0] == "auditor"
    with session(demo, line=2) as http:
        assert http.get("/audit", params={"limit": 5}).status_code == 200
        assert http.get("/users").status_code == 403
