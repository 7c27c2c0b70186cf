"""GIS layers: GeoJSON in (WGS-84, GCJ-02, CGCS2000), checked, scoped, audited; GeoJSON out."""

from __future__ import annotations

from typing import Any

import httpx
import numpy as np
from pytest import approx

from tests.integration.api.coverage_layout import collection, import_layer, lonlat, square
from tests.integration.api.helpers import add_user, build_tree
from vigil.app import Vigil
from vigil.coverage.crs import gcj02_from_wgs84
from vigil.governance.audit import AuditFilter
from vigil.governance.permissions import SYSTEM


async def test_import_export_round_trip_and_gcj02(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    await build_tree(client, admin)
    body = collection(("广场", square(0, 0, 20), "square"))
    assert (await import_layer(client, admin, "key_area", "3401", body)).json() == {"imported": 1}
    # The same square as a GCJ-02 web map would give it: stored back in WGS-84.
    wgs = np.array(body["features"][0]["geometry"]["coordinates"][0])
    gcj = collection(
        ("广场 (高德)", {"type": "Polygon", "coordinates": [gcj02_from_wgs84(wgs).tolist()]}, None)
    )
    response = await client.post(
        "/api/v1/gis/layers/key_area",
        params={"organisation_id": "3401", "crs": "gcj02"},
        headers=admin,
        json=gcj,
    )
    assert response.status_code == 201, response.text

    exported = (await client.get("/api/v1/gis/layers/key_area", headers=admin)).json()
    assert exported["type"] == "FeatureCollection"
    first, second = exported["features"]
    assert first["properties"]["name"] == "广场"
    assert first["properties"]["category"] == "square"
    assert first["properties"]["organisation_id"] == "3401"
    assert np.abs(np.array(first["geometry"]["coordinates"][0]) - wgs).max() < 1e-12
    assert np.abs(np.array(second["geometry"]["coordinates"][0]) - wgs).max() < 1e-8

    [record] = await node.audit.page(SYSTEM, AuditFilter(action="gis.import"), None, 1)
    assert record.actor == "admin"
    assert record.resource == "gis/layers/key_area"
    assert '"crs": "gcj02"' in record.detail and '"features": 1' in record.detail


async def test_replace_and_filter_by_organisation(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    road = {"type": "LineString", "coordinates": [lonlat(0, 0), lonlat(100, 0)]}
    for org in ("3401", "3402"):
        assert (
            await import_layer(client, admin, "road", org, collection(("r", road, None)))
        ).status_code == 201
    again = collection(("r2", road, None), ("r3", road, None))
    response = await client.post(
        "/api/v1/gis/layers/road",
        params={"organisation_id": "3401", "replace": "true"},
        headers=admin,
        json=again,
    )
    assert response.status_code == 201
    hefei = await client.get(
        "/api/v1/gis/layers/road", params={"organisation_id": "3401"}, headers=admin
    )
    assert [f["properties"]["name"] for f in hefei.json()["features"]] == ["r2", "r3"]
    everything = (await client.get("/api/v1/gis/layers/road", headers=admin)).json()
    assert len(everything["features"]) == 3


async def test_bad_geometry_is_refused_with_a_reason(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    bowtie = [lonlat(0, 0), lonlat(10, 10), lonlat(10, 0), lonlat(0, 10), lonlat(0, 0)]
    cases: dict[str, tuple[dict[str, Any], str]] = {
        "key_area": ({"type": "Polygon", "coordinates": [bowtie]}, "Self-intersection"),
        "road": ({"type": "Point", "coordinates": lonlat(0, 0)}, "LineString or MultiLineString"),
        "intersection": ({"type": "Point", "coordinates": [200.0, 31.0]}, "outside"),
    }
    for kind, (geometry, reason) in cases.items():
        response = await import_layer(
            client, admin, kind, "3401", collection(("x", geometry, None))
        )
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert reason in response.json()["detail"]
    assert (await client.get("/api/v1/gis/layers/key_area", headers=admin)).json()["features"] == []


async def test_import_needs_catalog_write_within_scope(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    body = collection(("广场", square(0, 0, 20), "square"))
    viewer = await add_user(client, admin, "viewer", "viewer", ["3401"])
    assert (await import_layer(client, admin, "key_area", "3402", body)).status_code == 201
    assert (await import_layer(client, viewer, "key_area", "3401", body)).status_code == 403
    operator = await add_user(client, admin, "operator", "operator", ["3401"])
    assert (await import_layer(client, operator, "key_area", "3402", body)).status_code == 403
    assert (await import_layer(client, operator, "key_area", "3401", body)).status_code == 201
    # The viewer sees Hefei's feature, not Wuhu's.
    seen = (await client.get("/api/v1/gis/layers/key_area", headers=viewer)).json()["features"]
    assert [f["properties"]["organisation_id"] for f in seen] == ["3401"]
    assert square(0, 0, 20)["coordinates"][0][0] == approx(seen[0]["geometry"]["coordinates"][0][0])
