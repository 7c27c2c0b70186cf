"""The intact rate in GET /kpis, over the month of history seeded by the availability tests.

Hand count (see ``seed``): in November the Hefei camera was intact 24 days of 30, the second
Hefei camera 26, the Wuhu camera 25; every device was online and fault-free on the 25th. Every
figure is asked of ``GET /kpis`` and ``GET /intact-rate`` alike where the two must agree.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
from pytest import approx
from sqlalchemy import update

from tests.integration.health.test_intact_rate import SECOND, WUHU_NVR, local, seed
from vigil.app import Vigil
from vigil.store.models import Channel, DeviceStatusEvent, RecordingGap, VideoFault

NOVEMBER = {"from": "2026-11-01T00:00:00+08:00", "to": "2026-12-01T00:00:00+08:00"}
WUHU_SECOND = "34020000001320000002"  # a second Wuhu camera, filed in mid-November


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


async def rate(
    client: httpx.AsyncClient, headers: dict[str, str], org: str, first: str, last: str
) -> dict[str, Any]:
    """GET /intact-rate's whole-organisation figures for the local days first..last."""
    params = {"org": org, "from": first, "to": last}
    response = await client.get("/api/v1/intact-rate", params=params, headers=headers)
    assert response.status_code == 200, response.text
    total: dict[str, Any] = response.json()["total"]
    return total


def days(first: str, last: str) -> dict[str, str]:
    """The KPI period covering the local days first..last (Shanghai)."""
    end = date.fromisoformat(last) + timedelta(days=1)
    return {"from": f"{first}T00:00:00+08:00", "to": f"{end.isoformat()}T00:00:00+08:00"}


async def test_days_before_filing_are_not_counted(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    await seed(client, admin, node)
    # 1-10 October: no camera was on file yet.
    early = await intact(client, admin, org="34", **days("2026-10-01", "2026-10-10"))
    assert early["value"] is None
    assert early["reason"] == "no camera-day from 2026-10-01 to 2026-10-10: no channel on file yet"
    total = await rate(client, admin, "34", "2026-10-01", "2026-10-10")
    assert (total["camera_days"], total["rate"], total["met"]) == (0, None, False)
    # 20 October: Hefei's NVR was offline until 09:00, but its cameras were filed at 09:30 and
    # were online from then on; the Wuhu camera was not on file yet: 2 of 2.
    filing_day = await intact(client, admin, org="34", **days("2026-10-20", "2026-10-20"))
    assert filing_day["value"] == 1.0
    total = await rate(client, admin, "34", "2026-10-20", "2026-10-20")
    assert (total["intact"], total["camera_days"]) == (2, 2)
    # 21-25 October: the Hefei camera had a fault on the 22nd and 23rd (3 of 5), the second
    # camera none (5 of 5); the Wuhu camera, filed at noon on the 25th, was offline (0 of 1).
    late = await intact(client, admin, org="34", **days("2026-10-21", "2026-10-25"))
    assert late["value"] == approx(8 / 11)
    total = await rate(client, admin, "34", "2026-10-21", "2026-10-25")
    assert (total["intact"], total["camera_days"]) == (8, 11)


async def test_both_endpoints_agree_on_a_channel_filed_mid_period(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    await seed(client, admin, node)
    body = {"id": WUHU_SECOND, "device_id": WUHU_NVR, "name": "filed mid-month"}
    assert (await client.post("/api/v1/channels", headers=admin, json=body)).status_code == 201
    async with node.db.session() as session, session.begin():
        await session.execute(
            update(Channel)
            .where(Channel.id == WUHU_SECOND)
            .values(created_at=local(15, 14), industry="05")
        )
        session.add_all(
            [
                # Wuhu NVR offline 10:00-12:00 on the 15th: before the new camera was filed at
                # 14:00, so its first (partial) day is intact. (The Wuhu camera's 15th is spoilt
                # by its own gap already.)
                DeviceStatusEvent(
                    device_id=WUHU_NVR, at=local(15, 10), online=False, reason="lost"
                ),
                DeviceStatusEvent(device_id=WUHU_NVR, at=local(15, 12), online=True, reason="back"),
                # A five-minute source loss on the 20th; a day it was not meant to record.
                RecordingGap(
                    channel_id=WUHU_SECOND,
                    start=local(20, 3),
                    end=local(20, 3, 5),
                    cause="source-lost",
                ),
                RecordingGap(
                    channel_id=WUHU_SECOND,
                    start=local(24, 0),
                    end=local(25, 0),
                    cause="not-scheduled",
                ),
                # A fault open since the 28th at 22:00 (days 28, 29, 30).
                VideoFault(
                    channel_id=WUHU_SECOND,
                    kind="blur",
                    score=0.01,
                    threshold=0.1,
                    opened_at=local(28, 22),
                ),
            ]
        )
    # Hand count: the new camera has 16 camera-days (15th-30th), bad on 20, 28, 29, 30: 12 of
    # 16. With the seed's 75 of 90: 87 of 106 for the province, 37 of 46 for Wuhu.
    for org, intact_days, camera_days in (("34", 87, 106), ("3402", 37, 46), ("3401", 50, 60)):
        total = await rate(client, admin, org, "2026-11-01", "2026-11-30")
        assert (total["intact"], total["camera_days"]) == (intact_days, camera_days), org
        assert total["rate"] == approx(intact_days / camera_days)
        kpi = await intact(client, admin, org=org, **NOVEMBER)
        assert kpi["value"] == total["rate"], org
    trend = await rate(client, admin, "3402", "2026-11-14", "2026-11-16")
    assert [(d["intact"], d["camera_days"]) for d in trend["daily"]] == [(1, 1), (1, 2), (1, 2)]


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
