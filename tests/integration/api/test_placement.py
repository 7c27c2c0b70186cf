"""Placement advice through the API, on the hand-drawn layout of coverage_layout.py."""

from __future__ import annotations

import httpx
from pytest import approx

from tests.integration.api.coverage_layout import build_layout, lonlat, square
from tests.integration.api.helpers import add_user


async def area_id(client: httpx.AsyncClient, admin: dict[str, str], name: str) -> int:
    layer = (await client.get("/api/v1/gis/layers/key_area", headers=admin)).json()
    [found] = [f["id"] for f in layer["features"] if f["properties"]["name"] == name]
    return int(found)


async def test_placement_adds_coverage_to_a_key_area(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_layout(client, admin)
    square_id = await area_id(client, admin, "广场")
    body = {"area_id": square_id, "count": 2}
    response = await client.post("/api/v1/coverage/placement", headers=admin, json=body)
    assert response.status_code == 200, response.text
    advice = response.json()
    assert advice["area_m2"] == approx(400, abs=0.1)
    assert advice["covered_before"] == approx(0.25, abs=1e-4)  # the existing camera's triangle
    assert len(advice["cameras"]) == 2
    gains = [c["gain_m2"] for c in advice["cameras"]]
    assert gains == sorted(gains, reverse=True) and gains[-1] > 0
    assert advice["covered_after"] == approx(0.25 + sum(gains) / 400, abs=1e-6)
    assert advice["covered_after"] > 0.6  # two more 15.4 m cameras see most of the rest
    assert advice["objective_m2"] >= advice["greedy_objective_m2"]
    assert {c["heading"] for c in advice["cameras"]} <= {0, 45, 90, 135, 180, 225, 270, 315}


async def test_placement_over_a_polygon_from_given_candidates(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_layout(client, admin)
    body = {
        "polygon": square(100, 100, 10),
        "organisation_id": "3401",
        "count": 1,
        "candidates": [lonlat(105, 95)],
    }
    advice = (await client.post("/api/v1/coverage/placement", headers=admin, json=body)).json()
    [camera] = advice["cameras"]
    # From 5 m south of the 10 × 10 square's middle, facing north (0°) is the only heading
    # that sees into it.
    assert camera["heading"] == 0
    assert [camera["longitude"], camera["latitude"]] == approx(lonlat(105, 95))
    assert advice["covered_before"] == 0


async def test_placement_checks_input_and_scope(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_layout(client, admin)
    wuhu = await area_id(client, admin, "芜湖广场")
    viewer = await add_user(client, admin, "hefei-viewer", "viewer", ["3401"])
    outside = await client.post(
        "/api/v1/coverage/placement", headers=viewer, json={"area_id": wuhu, "count": 1}
    )
    assert outside.status_code == 403
    both = {"area_id": wuhu, "polygon": square(0, 0, 10), "count": 1}
    assert (
        await client.post("/api/v1/coverage/placement", headers=admin, json=both)
    ).status_code == 422
    nowhere = {"polygon": square(0, 0, 10), "count": 1}
    assert (
        await client.post("/api/v1/coverage/placement", headers=admin, json=nowhere)
    ).status_code == 422
    flat = {"type": "Polygon", "coordinates": [[lonlat(0, 0)] * 4]}
    polar = {"type": "Polygon", "coordinates": [[[0, 89], [1, 89], [1, 88], [0, 89]]]}
    for polygon in (flat, polar):
        body = {"polygon": polygon, "organisation_id": "3401", "count": 1}
        response = await client.post("/api/v1/coverage/placement", headers=admin, json=body)
        assert response.status_code == 422, response.text
    missing = {"area_id": 99999, "count": 1}
    assert (
        await client.post("/api/v1/coverage/placement", headers=admin, json=missing)
    ).status_code == 404
