"""Banned places: imported through the GIS layer API like any layer, found in a camera's picture by
the coverage service wherever they are filed, and no part of the coverage KPIs.

The camera of coverage_layout.py: the Hefei channel at (10, 10) heading 90° (east), 90° view, HD.
At the detection density (25 px/m) it reaches 1920 / (25 · 2 · tan 45°) = 38.4 m. Facing east, a
point at δ from the heading (δ < 0: north, the left of the picture) lands on column
0.5 + tan(δ) / 2.
"""

from __future__ import annotations

from typing import Any

import httpx
from pytest import approx

from tests.integration.api.coverage_layout import (
    build_layout,
    collection,
    import_layer,
    lonlat,
    square,
)
from tests.integration.api.helpers import HEFEI_CHANNEL, WUHU_CHANNEL
from vigil.app import Vigil
from vigil.coverage import BannedOverlap


def box(x0: float, y0: float, x1: float, y1: float) -> dict[str, Any]:
    ring = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
    return {"type": "Polygon", "coordinates": [[lonlat(x, y) for x, y in ring]]}


#: North-east of the camera, filed in Wuhu: (30, 10) is on the heading (column 0.5), (30, 20) at
#: tan δ = −10/20 (column 0.25), the rest between.
HOTEL_ROOM = box(30, 10, 40, 20)
#: South-east, filed under no organisation: (34, −4) at tan δ = 14/24 (column 0.7917), (30, −8)
#: at tan δ = 18/20 (column 0.95).
CHANGING_ROOM = box(30, -8, 34, -4)
#: Behind the camera; facing west, (−10, 10) is on the heading and (−10, 0) at tan δ = −10/20
#: (column 0.25): south of west is the left of the picture.
TOILET = box(-20, 0, -10, 10)
#: Between the camera and the changing room: every ray from (10, 10) to it crosses x 19..21
#: within y 0..5.
WALL = box(19, 0, 21, 5)


async def test_the_layer_api_takes_banned_places(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_layout(client, admin)
    body = collection(("宾馆客房", HOTEL_ROOM, "hotel"))
    response = await import_layer(client, admin, "banned_place", "3401", body)
    assert response.status_code == 201, response.text
    exported = (await client.get("/api/v1/gis/layers/banned_place", headers=admin)).json()
    assert [f["properties"]["name"] for f in exported["features"]] == ["宾馆客房"]
    assert exported["features"][0]["properties"]["category"] == "hotel"
    line = {"type": "LineString", "coordinates": HOTEL_ROOM["coordinates"][0][:2]}
    refused = await import_layer(
        client, admin, "banned_place", "3401", collection(("x", line, None))
    )
    assert refused.status_code == 422
    assert "MultiPolygon or Polygon" in refused.json()["detail"]


async def test_banned_overlaps_of_a_camera_wherever_the_places_are_filed(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    await build_layout(client, admin)
    for org, name, shape in (("3402", "宾馆客房", HOTEL_ROOM), ("3401", "卫生间", TOILET)):
        response = await import_layer(
            client, admin, "banned_place", org, collection((name, shape, None))
        )
        assert response.status_code == 201, response.text
    response = await client.post(
        "/api/v1/gis/layers/banned_place",
        headers=admin,
        json=collection(("更衣室", CHANGING_ROOM, None)),
    )
    assert response.status_code == 201, response.text

    found = await node.coverage.banned_overlaps(HEFEI_CHANNEL)
    assert [(o.name, type(o)) for o in found] == [
        ("宾馆客房", BannedOverlap),
        ("更衣室", BannedOverlap),
    ]
    hotel, changing = found
    assert hotel.columns == approx((0.25, 0.5), abs=1e-4)  # the left half: north of the heading
    assert changing.columns == approx((0.5 + (14 / 24) / 2, 0.5 + (18 / 20) / 2), abs=1e-4)

    # A building between the camera and the changing room hides it, wherever it is filed.
    wall = collection(("墙", WALL, None))
    assert (await import_layer(client, admin, "building", "3402", wall)).status_code == 201
    assert [o.name for o in await node.coverage.banned_overlaps(HEFEI_CHANNEL)] == ["宾馆客房"]

    # Facing north, away from all three.
    turned = await client.patch(
        f"/api/v1/channels/{HEFEI_CHANNEL}", headers=admin, json={"heading": 0}
    )
    assert turned.status_code == 200, turned.text
    assert await node.coverage.banned_overlaps(HEFEI_CHANNEL) == []

    # Facing west, the toilet that was behind it is in view.
    west = await client.patch(
        f"/api/v1/channels/{HEFEI_CHANNEL}", headers=admin, json={"heading": 270}
    )
    assert west.status_code == 200, west.text
    [toilet] = await node.coverage.banned_overlaps(HEFEI_CHANNEL)
    assert toilet.name == "卫生间"
    assert toilet.columns == approx((0.25, 0.5), abs=1e-4)


async def test_an_unplaced_or_unknown_channel_has_nothing_to_check(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    await build_layout(client, admin)
    body = collection(("宾馆客房", box(-1000, -1000, 1000, 1000), None))  # around everything
    assert (await import_layer(client, admin, "banned_place", "3402", body)).status_code == 201
    assert [o.name for o in await node.coverage.banned_overlaps(HEFEI_CHANNEL)] == ["宾馆客房"]
    assert await node.coverage.banned_overlaps(WUHU_CHANNEL) == []  # no position
    assert await node.coverage.banned_overlaps("34010000001329999999") == []  # not on file


async def test_banned_places_do_not_count_in_the_coverage_kpis(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_layout(client, admin)

    async def coverage() -> dict[str, Any]:
        response = await client.get("/api/v1/kpis", params={"org": "3401"}, headers=admin)
        assert response.status_code == 200, response.text
        kpis = response.json()
        return {k: kpis[k] for k in ("coverage_rate", "road_coverage", "intersection_coverage")}

    before = await coverage()
    # Over the key area the camera sees part of, and far away (which would move the plane the
    # district is measured on if banned places were read with it).
    body = collection(("宾馆", square(0, 0, 20), None), ("远处", square(9000, 9000, 10), None))
    assert (await import_layer(client, admin, "banned_place", "3401", body)).status_code == 201
    assert await coverage() == before
    footprints = await client.get(
        "/api/v1/coverage/footprints", params={"org": "3401"}, headers=admin
    )
    spots = await client.get("/api/v1/coverage/blind-spots", params={"org": "3401"}, headers=admin)
    assert footprints.status_code == spots.status_code == 200
    assert [a["name"] for a in spots.json()["key_areas"]] == ["广场"]
