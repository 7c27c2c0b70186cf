"""GET /work-orders/stats: time to repair per maintainer unit, hand-checked, within the period and
the caller's scope."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.integration.api.helpers import HEFEI_CHANNEL, WUHU_CHANNEL, add_user
from tests.integration.health.test_intact_rate import seed
from vigil.app import Vigil
from vigil.store.models import VideoFault, WorkOrder

T0 = datetime(2026, 12, 1, 8, tzinfo=UTC)

#: (channel, assignee, hours after T0 opened, hours to repair or None while open)
ORDERS = [
    (HEFEI_CHANNEL, "unit A", 0, 2.0),
    (HEFEI_CHANNEL, "unit A", 1, 4.0),
    (HEFEI_CHANNEL, "unit A", 2, 12.0),
    (HEFEI_CHANNEL, "unit A", 3, None),
    (WUHU_CHANNEL, "unit B", 0, 1.5),
    (WUHU_CHANNEL, "unit B", 31 * 24, 6.0),  # 1 January 16:00 +08: outside December
]


async def add_orders(node: Vigil) -> None:
    async with node.db.session() as session, session.begin():
        for channel, unit, after, hours in ORDERS:
            opened = T0 + timedelta(hours=after)
            closed = None if hours is None else opened + timedelta(hours=hours)
            fault = VideoFault(
                channel_id=channel,
                kind="blur",
                score=0.0,
                threshold=0.1,
                opened_at=opened,
                closed_at=closed,
            )
            session.add(fault)
            await session.flush()
            session.add(
                WorkOrder(
                    fault_id=fault.id,
                    channel_id=channel,
                    assignee=unit,
                    opened_at=opened,
                    closed_at=closed,
                )
            )


DECEMBER = {"from": "2026-12-01T00:00:00+08:00", "to": "2027-01-01T00:00:00+08:00"}


async def test_stats_per_unit_in_a_period(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    await seed(client, admin, node)
    await add_orders(node)
    response = await client.get("/api/v1/work-orders/stats", params=DECEMBER, headers=admin)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["from"] == "2026-12-01T00:00:00+08:00"
    units = {u["assignee"]: u for u in body["units"]}
    # Unit A: 4 orders, one open; closed after 2, 4, 12 h → mean 6, median 4, p90 at rank 1.8
    # → 4 + 0.8·(12-4) = 10.4.
    a = units["unit A"]
    assert (a["count"], a["open"], a["mean_hours"], a["median_hours"]) == (4, 1, 6.0, 4.0)
    assert a["p90_hours"] == pytest.approx(10.4)
    # Unit B: the January order is outside the period.
    assert (units["unit B"]["count"], units["unit B"]["mean_hours"]) == (1, 1.5)
    # All: 2, 4, 12, 1.5 → mean 4.875, median 3, p90 at rank 2.7 → 4 + 0.7·8 = 9.6.
    total = body["total"]
    assert (total["count"], total["open"], total["mean_hours"], total["median_hours"]) == (
        5, 1, 4.875, 3.0,
    )  # fmt: skip
    assert total["p90_hours"] == pytest.approx(9.6)

    everything = await client.get("/api/v1/work-orders/stats", headers=admin)
    assert everything.json()["total"]["count"] == len(ORDERS)
    naive = {"from": "2026-12-01T00:00:00"}
    assert (
        await client.get("/api/v1/work-orders/stats", params=naive, headers=admin)
    ).status_code == 422


async def test_stats_keep_to_the_callers_scope(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    await seed(client, admin, node)
    await add_orders(node)
    viewer = await add_user(client, admin, "wuhu-stats", "viewer", ["3402"])
    body = (await client.get("/api/v1/work-orders/stats", headers=viewer)).json()
    assert [u["assignee"] for u in body["units"]] == ["unit B"]
    assert body["total"]["count"] == 2
    assert (await client.get("/api/v1/work-orders/stats")).status_code == 401
