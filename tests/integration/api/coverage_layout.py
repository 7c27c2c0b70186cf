"""A small hand-drawn layout in Hefei (3401) and one key area in Wuhu (3402), built through the API.

Local metres (x east, y north) around PLANE's origin, converted to WGS-84 for the API:

- key area: the square x 0..20, y 0..20 (400 m²);
- road: y = 10 from x = −80 to 60 (140 m); a cross road x = −30 from y = −40 to 60 (100 m);
- intersection: (−30, 10), where they cross;
- camera (Hefei channel): at (10, 10), heading 90° (east), 90° view, HD (1920 px); at the
  observation density 62.5 px/m its reach is 1920 / (62.5 · 2 · tan 45°) = 15.36 m.
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.integration.api.helpers import HEFEI_CHANNEL, build_tree
from vigil.coverage.projection import LocalPlane

PLANE = LocalPlane(117.2, 31.8)


def lonlat(x: float, y: float) -> list[float]:
    return list(PLANE.to_lonlat(x, y))


def collection(*features: tuple[str, dict[str, Any], str | None]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"name": n, "category": c}, "geometry": g}
            for n, g, c in features
        ],
    }


def square(x0: float, y0: float, size: float) -> dict[str, Any]:
    corners = [(x0, y0), (x0 + size, y0), (x0 + size, y0 + size), (x0, y0 + size), (x0, y0)]
    return {"type": "Polygon", "coordinates": [[lonlat(x, y) for x, y in corners]]}


def line(*points: tuple[float, float]) -> dict[str, Any]:
    return {"type": "LineString", "coordinates": [lonlat(x, y) for x, y in points]}


async def import_layer(
    client: httpx.AsyncClient, headers: dict[str, str], kind: str, org: str, body: dict[str, Any]
) -> httpx.Response:
    return await client.post(
        f"/api/v1/gis/layers/{kind}", params={"organisation_id": org}, headers=headers, json=body
    )


async def build_layout(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    await build_tree(client, admin)
    layers = {
        "key_area": collection(("广场", square(0, 0, 20), "square")),
        "road": collection(
            ("东西路", line((-80, 10), (60, 10)), None),
            ("南北路", line((-30, -40), (-30, 60)), None),
        ),
        "intersection": collection(
            ("路口", {"type": "Point", "coordinates": lonlat(-30, 10)}, None)
        ),
    }
    for kind, body in layers.items():
        response = await import_layer(client, admin, kind, "3401", body)
        assert response.status_code == 201, response.text
    wuhu = collection(("芜湖广场", square(5000, 5000, 50), "square"))
    assert (await import_layer(client, admin, "key_area", "3402", wuhu)).status_code == 201
    lon, lat = lonlat(10, 10)
    camera = {"longitude": lon, "latitude": lat, "heading": 90, "fov": 90, "hd": True}
    response = await client.patch(f"/api/v1/channels/{HEFEI_CHANNEL}", headers=admin, json=camera)
    assert response.status_code == 200, response.text
