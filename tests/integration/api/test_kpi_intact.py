"""The intact rate in GET /kpis, over the month of history seeded by the availability tests.

Hand count (see ``seed``): in November the Hefei camera was intact 24 days of 30, the second
Hefei camera 26, the Wuhu camera 25; every device was online and fault-free on the 25th.
"""

from __future__ import annotations

from typing import Any

import httpx
from pytest import approx
from sqlalchemy import update

from tests.integration.health.test_intact_rate import SECOND, seed
from vigil.app import Vigil
from vigil.store.models import Channel

NOVEMBER = {"from": "2026-11-01T00:00:00+08:00", "to": "2026-12-01T00:00:00+08:00"}


async def intact(
    client: httpx.AsyncClient, headers: dict[str, str], **params: str
) -> dict[str, Any]:
    response = await client.get("/api/v1/kpis", params=params, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return {**body["intact_rate"], "days": (body["intact_from"], body["intact_to"])}


async def test_intact_rate_per_organisation_and_industry(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    await seed(client, admin, node)
    province = await intact(client, admin, org="34", **NOVEMBER)
    assert province["days"] == ("2026-11-01", "2026-11-30")
    assert province["value"] == approx((24 + 26 + 25) / 90)
    # One of the three cameras watches a key public area: industry sites' target.
    assert province["target"] == 0.95
    hefei = await intact(client, admin, org="3401", **NOVEMBER)
    assert hefei["value"] == approx((24 + 26) / 60)
    wuhu_industry = await intact(client, admin, org="34", industry="05", **NOVEMBER)
    assert wuhu_industry["value"] == approx(25 / 30)
    # The same month given in UTC: the same local days.
    utc = {"from": "2026-10-31T16:00:00Z", "to": "2026-11-30T16:00:00Z"}
    assert (await intact(client, admin, org="34", **utc))["value"] == province["value"]
    clean_day = {"from": "2026-11-25T00:00:00+08:00", "to": "2026-11-26T00:00:00+08:00"}
    assert (await intact(client, admin, org="34", **clean_day))["value"] == 1.0


async def test_key_area_cameras_are_held_to_98_percent(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    await seed(client, admin, node)
    async with node.db.session() as session, session.begin():
        await session.execute(
            update(Channel).where(Channel.id == SECOND).values(key_area_category="square")
        )
    hefei = await intact(client, admin, org="3401", **NOVEMBER)
    assert (hefei["value"], hefei["target"]) == (approx(50 / 60), 0.98)
    assert (await intact(client, admin, org="3402", **NOVEMBER))["target"] == 0.95


async def test_days_before_any_history_have_no_value(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    await seed(client, admin, node)
    # The first status event is Hefei NVR's on 20 October.
    early = {"from": "2026-10-01T00:00:00+08:00", "to": "2026-10-11T00:00:00+08:00"}
    before = await intact(client, admin, org="34", **early)
    assert before["value"] is None
    assert before["reason"] == "no online/offline history up to 2026-10-10"
    # 21-25 October: Hefei's two cameras were online and fault-free (10 camera-days); Wuhu's
    # NVR had not yet registered, so its camera was offline (0 of 5).
    late = {"from": "2026-10-21T00:00:00+08:00", "to": "2026-10-26T00:00:00+08:00"}
    assert (await intact(client, admin, org="34", **late))["value"] == approx(10 / 15)


async def test_a_period_longer_than_a_year_is_refused(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    await seed(client, admin, node)
    period = {"org": "34", "from": "2025-01-01T00:00:00Z", "to": "2026-06-01T00:00:00Z"}
    response = await client.get("/api/v1/kpis", params=period, headers=admin)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


async def test_periods_at_the_ends_of_the_calendar_are_refused(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    await seed(client, admin, node)
    for period in (
        {"to": "0001-01-05T00:00:00Z"},  # a start 30 days before it does not exist
        {"from": "9999-12-30T00:00:00Z", "to": "9999-12-31T00:00:00Z"},
        {"from": "1969-12-01T00:00:00Z", "to": "1969-12-02T00:00:00Z"},
    ):
        response = await client.get("/api/v1/kpis", params={"org": "34", **period}, headers=admin)
        assert response.status_code == 422, (period, response.text)
