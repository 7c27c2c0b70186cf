"""KPIs over an organisation's subtree, on the hand-drawn layout of coverage_layout.py."""

from __future__ import annotations

import httpx
from pytest import approx
from sqlalchemy import update

from tests.integration.api.coverage_layout import build_layout
from tests.integration.api.helpers import HEFEI_CHANNEL, add_user
from vigil.app import Vigil
from vigil.store.models import Channel, Device

KPIS = (
    "coverage_rate",
    "road_coverage",
    "intersection_coverage",
    "hd_ratio",
    "networking_rate",
    "intact_rate",
)


async def test_kpis_of_the_hand_drawn_layout(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    await build_layout(client, admin)
    # A second Hefei channel, SD and without position: it counts for HD and networking only.
    body = {"id": "34010000001320000002", "device_id": "34010000001180000001", "name": "SD"}
    assert (await client.post("/api/v1/channels", headers=admin, json=body)).status_code == 201
    # What the GB/T 28181 service writes when the NVR and its first camera are online.
    async with node.db.session() as session, session.begin():
        await session.execute(
            update(Channel).where(Channel.id == HEFEI_CHANNEL).values(status="online")
        )
        await session.execute(
            update(Device).where(Device.id == "34010000001180000001").values(online=True)
        )

    response = await client.get("/api/v1/kpis", params={"org": "3401"}, headers=admin)
    assert response.status_code == 200, response.text
    kpis = response.json()
    assert set(KPIS) <= set(kpis)
    # The camera's 90° sector (bearings 45°..135°) from the square's centre covers the
    # triangle (10, 10), (20, 0), (20, 20) — its far corners are 14.1 m away, inside the 15.36 m
    # reach: ½ · 20 · 10 = 100 of 400 m².
    assert kpis["coverage_rate"]["value"] == approx(0.25, abs=1e-4)
    # The east-west road runs through the camera: seen from x = 10 to 10 + 15.36; the north-south
    # road (x = −30) is behind it. 15.36 of 140 + 100 m.
    assert kpis["road_coverage"]["value"] == approx(15.36 / 240, abs=1e-4)
    # The one intersection, 40 m behind the camera, is not seen.
    assert kpis["intersection_coverage"]["value"] == 0.0
    assert kpis["hd_ratio"]["value"] == 0.5  # one HD channel of two
    assert kpis["networking_rate"]["value"] == 0.5  # one online channel of two
    # Both cameras were filed just now: today so far is their one camera-day each, and no
    # device has an online/offline event yet (set directly above), so neither is intact.
    # Neither camera watches a key public area, so the target is industry sites' 95 %.
    assert kpis["intact_rate"]["value"] == 0.0
    assert kpis["intact_from"] < kpis["intact_to"]
    assert kpis["intact_rate"]["target"] == 0.95
    assert kpis["shared_rate"]["value"] is None
    assert "cascade" in kpis["shared_rate"]["reason"]
    assert all(kpis[name]["target"] == 1.0 for name in KPIS[:5])

    # The parent (province 34) covers both cities: Wuhu's 50 × 50 m key area is unseen, so the
    # key-area rate is 100 / (400 + 2500).
    province = (await client.get("/api/v1/kpis", params={"org": "34"}, headers=admin)).json()
    assert province["coverage_rate"]["value"] == approx(100 / 2900, abs=1e-4)


async def test_scoped_viewer_sees_only_their_organisation(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_layout(client, admin)
    viewer = await add_user(client, admin, "hefei-viewer", "viewer", ["3401"])
    own = await client.get("/api/v1/kpis", params={"org": "3401"}, headers=viewer)
    assert own.status_code == 200
    assert own.json()["coverage_rate"]["value"] == approx(0.25, abs=1e-4)
    for org in ("3402", "34"):
        other = await client.get("/api/v1/kpis", params={"org": org}, headers=viewer)
        assert other.status_code == 403
        assert other.headers["content-type"] == "application/problem+json"
        spots = await client.get(
            "/api/v1/coverage/blind-spots", params={"org": org}, headers=viewer
        )
        assert spots.status_code == 403


async def test_empty_organisation_gives_reasons_and_bad_periods_are_refused(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    body = {"id": "3403", "name": "蚌埠市"}
    assert (await client.post("/api/v1/organisations", headers=admin, json=body)).status_code == 201
    kpis = (await client.get("/api/v1/kpis", params={"org": "3403"}, headers=admin)).json()
    assert kpis["coverage_rate"] == {
        "value": None,
        "reason": "no key area layer under this organisation",
        "reason_code": "kpi.no_key_areas",
        "reason_params": {},
        "target": 1.0,
    }
    assert kpis["hd_ratio"]["reason"] == "no channel on file under this organisation"
    assert kpis["hd_ratio"]["reason_code"] == "kpi.no_channels"
    period = {"org": "3403", "from": "2026-02-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"}
    assert (await client.get("/api/v1/kpis", params=period, headers=admin)).status_code == 422
    naive = {"org": "3403", "from": "2026-01-01T00:00:00", "to": "2026-02-01T00:00:00Z"}
    assert (await client.get("/api/v1/kpis", params=naive, headers=admin)).status_code == 422
    missing = await client.get("/api/v1/kpis", params={"org": "9999"}, headers=admin)
    assert missing.status_code == 404


async def test_blind_spots_ranked(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    await build_layout(client, admin)
    response = await client.get("/api/v1/coverage/blind-spots", params={"org": "34"}, headers=admin)
    assert response.status_code == 200, response.text
    spots = response.json()
    # Wuhu's square, wholly unseen (2500 m²), ranks before Hefei's (400 − 100 = 300 m² unseen).
    assert [a["name"] for a in spots["key_areas"]] == ["芜湖广场", "广场"]
    first, second = spots["key_areas"]
    assert first["uncovered_share"] == approx(1.0)
    assert second["uncovered_m2"] == approx(300, abs=0.1)
    assert second["uncovered_share"] == approx(0.75, abs=1e-4)
    assert second["uncovered"]["type"] == "Polygon"
    # The crossroads: four approaches, none seen, centre unseen.
    [crossing] = spots["intersections"]
    assert (crossing["approaches"], crossing["approaches_seen"]) == (4, 0)
    assert crossing["centre_seen"] is False
