"""Intact rate over a seeded month, against figures worked out by hand (see each seed's comment)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import update

from tests.integration.api.helpers import HEFEI_CHANNEL, WUHU_CHANNEL, build_tree
from vigil.app import Vigil
from vigil.governance.permissions import SYSTEM
from vigil.health.intact import GroupRate
from vigil.health.intact_rate import GroupBy
from vigil.store.models import Channel, DeviceStatusEvent, RecordingGap, VideoFault

ZONE = ZoneInfo("Asia/Shanghai")
HEFEI_NVR, WUHU_NVR = "34010000001180000001", "34020000001180000001"
SECOND = "34010000001320000002"  # a second Hefei camera on the same NVR
NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


def local(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=ZONE)


HEFEI_FILED = local(20, 9, 30, month=10)
WUHU_FILED = local(25, 12, month=10)


async def seed(client: httpx.AsyncClient, admin: dict[str, str], node: Vigil) -> None:
    await build_tree(client, admin)
    body = {"id": SECOND, "device_id": HEFEI_NVR, "name": "second"}
    assert (await client.post("/api/v1/channels", headers=admin, json=body)).status_code == 201
    async with node.db.session() as session, session.begin():
        await session.execute(
            update(Channel).where(Channel.id == HEFEI_CHANNEL).values(key_area_category="school")
        )
        await session.execute(
            update(Channel).where(Channel.id == WUHU_CHANNEL).values(industry="05")
        )
        # Filed (entered the catalog): Hefei's two cameras on 20 October at 09:30, half an hour
        # after their NVR registered; the Wuhu camera on 25 October at noon, days before its
        # NVR first registered. Every camera-day counts from these moments on.
        for channel, filed in ((HEFEI_CHANNEL, HEFEI_FILED), (SECOND, HEFEI_FILED)):
            await session.execute(
                update(Channel).where(Channel.id == channel).values(created_at=filed)
            )
        await session.execute(
            update(Channel).where(Channel.id == WUHU_CHANNEL).values(created_at=WUHU_FILED)
        )
        session.add_all(
            [
                # Hefei NVR online since October; offline 10th 23:00 → 11th 01:00 (days 10, 11).
                DeviceStatusEvent(
                    device_id=HEFEI_NVR, at=local(20, 9, month=10), online=True, reason="registered"
                ),
                # Wuhu NVR has no event before the 3rd 08:00: offline the 1st to the 3rd.
                DeviceStatusEvent(
                    device_id=WUHU_NVR, at=local(3, 8), online=True, reason="registered"
                ),
                DeviceStatusEvent(
                    device_id=HEFEI_NVR, at=local(10, 23), online=False, reason="keepalive_timeout"
                ),
                DeviceStatusEvent(
                    device_id=HEFEI_NVR, at=local(11, 1), online=True, reason="registered"
                ),
                # Hefei camera: a fault from the 20th 10:00 to the 22nd 09:00 (days 20-22), and
                # one in October (22nd 10:00 to 23rd 09:00) that does not count in November.
                VideoFault(
                    channel_id=HEFEI_CHANNEL,
                    kind="blur",
                    score=0.01,
                    threshold=0.1,
                    opened_at=local(20, 10),
                    closed_at=local(22, 9),
                ),
                VideoFault(
                    channel_id=HEFEI_CHANNEL,
                    kind="frozen",
                    score=0,
                    threshold=0.5,
                    opened_at=local(22, 10, month=10),
                    closed_at=local(23, 9, month=10),
                ),
                # Second camera: a fault open since the 29th noon (days 29, 30).
                VideoFault(
                    channel_id=SECOND,
                    kind="occlusion",
                    score=0.6,
                    threshold=0.3,
                    opened_at=local(29, 12),
                ),
                # Hefei camera lost its source ten minutes on the 5th (day 5).
                RecordingGap(
                    channel_id=HEFEI_CHANNEL,
                    start=local(5, 3),
                    end=local(5, 3, 10),
                    cause="source-lost",
                ),
                # Second camera was not meant to record on the 6th: not a defect.
                RecordingGap(
                    channel_id=SECOND, start=local(6, 0), end=local(7, 0), cause="not-scheduled"
                ),
                # Wuhu camera: disk full across midnight 15th/16th (days 15, 16).
                RecordingGap(
                    channel_id=WUHU_CHANNEL,
                    start=local(15, 23, 50),
                    end=local(16, 0, 10),
                    cause="disk-full",
                ),
            ]
        )
    # Hand count: Hefei camera bad on 5, 10, 11, 20, 21, 22 → 24/30; second camera on 10, 11,
    # 29, 30 → 26/30; Wuhu camera on 1, 2, 3, 15, 16 → 25/30.


def figures(groups: list[GroupRate]) -> dict[str, tuple[int, int, float]]:
    return {g.group: (g.intact, g.camera_days, g.target) for g in groups}


async def test_a_seeded_month_matches_the_hand_count(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    await seed(client, admin, node)
    by_org = await node.intact.report(SYSTEM, "34", *NOVEMBER, GroupBy.organisation)
    assert figures(by_org.groups) == {"3401": (50, 60, 0.95), "3402": (25, 30, 0.95)}
    assert (by_org.total.intact, by_org.total.camera_days) == (75, 90)
    assert by_org.total.rate == pytest.approx(75 / 90)
    assert not by_org.total.met

    by_area = await node.intact.report(SYSTEM, "34", *NOVEMBER, GroupBy.key_area_category)
    assert figures(by_area.groups) == {"school": (24, 30, 0.98), "none": (51, 60, 0.95)}

    by_industry = await node.intact.report(SYSTEM, "34", *NOVEMBER, GroupBy.industry)
    assert figures(by_industry.groups) == {"00": (50, 60, 0.95), "05": (25, 30, 0.95)}

    hefei = await node.intact.report(SYSTEM, "3401", *NOVEMBER, GroupBy.organisation)
    assert figures(hefei.groups) == {"3401": (50, 60, 0.95)}


async def test_one_clean_day_is_intact(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    await seed(client, admin, node)
    day = date(2026, 11, 25)
    report = await node.intact.report(SYSTEM, "34", day, day, GroupBy.organisation)
    assert (report.total.intact, report.total.camera_days) == (3, 3)
    assert report.total.met


async def test_the_daily_trend_matches_the_hand_count(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    await seed(client, admin, node)
    report = await node.intact.report(SYSTEM, "34", *NOVEMBER, GroupBy.organisation)
    total = {d.day.day: (d.intact, d.camera_days) for d in report.total.daily}
    # Bad days from the hand count above: Hefei 5, 10, 11, 20-22; second 10, 11, 29, 30;
    # Wuhu 1-3, 15, 16.
    bad = {5: 1, 10: 2, 11: 2, 20: 1, 21: 1, 22: 1, 29: 1, 30: 1, 1: 1, 2: 1, 3: 1, 15: 1, 16: 1}
    assert total == {day: (3 - bad.get(day, 0), 3) for day in range(1, 31)}
    hefei = next(g for g in report.groups if g.group == "3401")
    assert [d.intact for d in hefei.daily][9:12] == [0, 0, 2]  # the 10th, 11th, 12th
    assert sum(d.intact for d in hefei.daily) == hefei.intact

    response = await client.get(
        "/api/v1/intact-rate",
        headers=admin,
        params={"org": "34", "from": "2026-11-01", "to": "2026-11-30"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    days = body["total"]["daily"]
    assert [d["day"] for d in days][:2] == ["2026-11-01", "2026-11-02"]
    assert [(d["intact"], d["camera_days"]) for d in days] == [total[i] for i in range(1, 31)]
    assert days[9]["rate"] == pytest.approx(1 / 3)


async def test_without_a_period_the_last_thirty_days_count_and_half_a_period_is_refused(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    await seed(client, admin, node)
    response = await client.get("/api/v1/intact-rate", headers=admin, params={"org": "34"})
    assert response.status_code == 200, response.text
    body = response.json()
    today = datetime.now(ZONE).date()
    assert (body["from"], body["to"]) == (
        (today - timedelta(days=29)).isoformat(),
        today.isoformat(),
    )
    kpis = (await client.get("/api/v1/kpis", headers=admin, params={"org": "34"})).json()
    assert (kpis["intact_from"], kpis["intact_to"]) == (body["from"], body["to"])
    assert kpis["intact_rate"]["value"] == body["total"]["rate"]
    half = {"org": "34", "from": "2026-11-01"}
    response = await client.get("/api/v1/intact-rate", headers=admin, params=half)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
