"""Camera footprints for the map, on the hand-drawn layout of coverage_layout.py."""

from __future__ import annotations

import math

import httpx
import shapely
from pytest import approx
from shapely.geometry import Point

from tests.integration.api.coverage_layout import build_layout, lonlat
from tests.integration.api.helpers import HEFEI_CHANNEL, add_user


async def test_footprint_is_the_polygon_the_kpis_use(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_layout(client, admin)
    response = await client.get(
        "/api/v1/coverage/footprints", params={"org": "3401"}, headers=admin
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["type"] == "FeatureCollection"
    [feature] = body["features"]
    assert feature["id"] == HEFEI_CHANNEL
    properties = feature["properties"]
    # HD, 90°: reach 1920 / (62.5 · 2 · tan 45°) = 15.36 m; a quarter disc (1° chords).
    assert (properties["near_m"], properties["far_m"]) == (0.0, approx(15.36))
    quarter = 0.5 * 15.36**2 * math.sin(math.radians(1)) * 90
    assert properties["area_m2"] == approx(quarter, rel=1e-6)
    seen = shapely.geometry.shape(feature["geometry"])
    assert seen.contains(Point(lonlat(20, 10)))  # 10 m east, on the heading
    assert not seen.contains(Point(lonlat(0, 10)))  # behind the camera
    assert not seen.contains(Point(lonlat(10, 26)))  # north, outside the 90° view


async def test_footprints_are_scoped(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    await build_layout(client, admin)
    viewer = await add_user(client, admin, "wuhu-viewer", "viewer", ["3402"])
    own = await client.get("/api/v1/coverage/footprints", params={"org": "3402"}, headers=viewer)
    assert own.status_code == 200 and own.json()["features"] == []  # no placed camera in Wuhu
    other = await client.get("/api/v1/coverage/footprints", params={"org": "3401"}, headers=viewer)
    assert other.status_code == 403
