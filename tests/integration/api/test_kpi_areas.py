"""KPIs per administrative area (``area=``) and per industry, on the hand-drawn layout of
coverage_layout.py (square x 0..20, y 0..20; road y = 10 from x = −80 to 60 and x = −30; the
crossing at (−30, 10); an HD camera at (10, 10) looking east, reach 15.36 m)."""

from __future__ import annotations

from typing import Any

import httpx
from pytest import approx

from tests.integration.api.coverage_layout import build_layout, collection, import_layer, lonlat
from tests.integration.api.helpers import add_user

SD = "34010000001320000002"  # a second Hefei channel, SD, at (−50, 10), no heading


def rectangle(x0: float, y0: float, x1: float, y1: float) -> dict[str, Any]:
    ring = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
    return {"type": "Polygon", "coordinates": [[lonlat(x, y) for x, y in ring]]}


async def setup(client: httpx.AsyncClient, admin: dict[str, str]) -> dict[str, int]:
    """The layout, the SD channel and three administrative areas; their IDs by name."""
    await build_layout(client, admin)
    lon, lat = lonlat(-50, 10)
    body = {"id": SD, "device_id": "34010000001180000001", "name": "SD"}
    assert (await client.post("/api/v1/channels", headers=admin, json=body)).status_code == 201
    placed = {"longitude": lon, "latitude": lat}
    assert (await client.patch(f"/api/v1/channels/{SD}", headers=admin, json=placed)).is_success
    areas = collection(
        ("east", rectangle(-10, -50, 60, 60), None),  # the square, the camera, 70 m of road
        ("far east", rectangle(12, -50, 60, 60), None),  # part of the square, no camera
    )
    assert (await import_layer(client, admin, "admin_area", "3401", areas)).status_code == 201
    wuhu = collection(("wuhu", rectangle(4000, 4000, 6000, 6000), None))
    assert (await import_layer(client, admin, "admin_area", "3402", wuhu)).status_code == 201
    layer = await client.get("/api/v1/gis/layers/admin_area", headers=admin)
    return {f["properties"]["name"]: f["id"] for f in layer.json()["features"]}


async def kpis(client: httpx.AsyncClient, headers: dict[str, str], **params: Any) -> Any:
    response = await client.get("/api/v1/kpis", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_kpis_of_an_area(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    areas = await setup(client, admin)
    whole = await kpis(client, admin, org="3401")
    assert whole["hd_ratio"]["value"] == 0.5  # HD camera and SD channel

    east = await kpis(client, admin, org="3401", area=areas["east"])
    assert east["area_id"] == areas["east"]
    assert east["coverage_rate"]["value"] == approx(100 / 400, abs=1e-4)  # the square is inside
    # The east-west road cut at x = −10: 70 m, of which the camera sees 15.36 m; the
    # north-south road and the crossing lie outside.
    assert east["road_coverage"]["value"] == approx(15.36 / 70, abs=1e-4)
    assert east["intersection_coverage"] == {
        "value": None,
        "reason": "no intersection layer in this area",
        "reason_code": "kpi.no_intersections",
        "reason_params": {},
        "target": 1.0,
    }
    assert east["hd_ratio"]["value"] == 1.0  # only the HD camera stands inside

    # x ≥ 12: 8 × 20 m of the square. The camera outside still sees into it: its triangle
    # between y = 10 ± (x − 10) for x in 12..20 is (20 − 10)² − (12 − 10)² = 96 m².
    far = await kpis(client, admin, org="3401", area=areas["far east"])
    assert far["coverage_rate"]["value"] == approx(96 / 160, abs=1e-4)
    assert far["hd_ratio"] == {
        "value": None,
        "reason": "no channel on file in this area",
        "reason_code": "kpi.no_channels",
        "reason_params": {},
        "target": 1.0,
    }
    assert far["intact_rate"]["reason"] == "no channel on file in this area"
    assert far["intact_rate"]["reason_code"] == "kpi.no_channels"


async def test_an_area_must_be_an_administrative_area_under_the_organisation(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    areas = await setup(client, admin)
    elsewhere = await client.get(
        "/api/v1/kpis", params={"org": "3401", "area": areas["wuhu"]}, headers=admin
    )
    assert elsewhere.status_code == 404
    key_areas = (await client.get("/api/v1/gis/layers/key_area", headers=admin)).json()
    square = key_areas["features"][0]["id"]
    not_admin = await client.get(
        "/api/v1/kpis", params={"org": "3401", "area": square}, headers=admin
    )
    assert not_admin.status_code == 404
    viewer = await add_user(client, admin, "hefei-viewer", "viewer", ["3401"])
    other = await client.get(
        "/api/v1/kpis", params={"org": "3402", "area": areas["wuhu"]}, headers=viewer
    )
    assert other.status_code == 403
    own = await kpis(client, viewer, org="3401", area=areas["east"])
    assert own["hd_ratio"]["value"] == 1.0


async def test_kpis_of_an_industry(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    await setup(client, admin)
    moved = {"industry": "05"}  # the SD channel belongs to traffic checkpoints
    assert (await client.patch(f"/api/v1/channels/{SD}", headers=admin, json=moved)).is_success
    road = await kpis(client, admin, org="3401", industry="00")
    assert road["industry"] == "00"
    assert road["hd_ratio"]["value"] == 1.0
    assert road["coverage_rate"]["value"] == approx(0.25, abs=1e-4)
    traffic = await kpis(client, admin, org="3401", industry="05")
    assert traffic["hd_ratio"]["value"] == 0.0
    assert traffic["coverage_rate"]["value"] == 0.0  # its one channel has no footprint
    assert (await kpis(client, admin, org="3401", industry="11"))["hd_ratio"]["value"] is None
