"""Tracks stored with their attributes and found by them: the recorder writes what a closed track
carries (the JSON and its searched columns, "unknown" kept in the JSON only), the tracks list and
the video search filter by vehicle type, a vehicle's colour and a person's clothing colours, and
a colour outside the palette is refused. On SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
import json

import httpx
from sqlalchemy import select

from tests.integration.api.helpers import HEFEI_CHANNEL, WUHU_CHANNEL, build_tree
from vigil.analytics.live.messages import TrackClosed
from vigil.analytics.live.recorder import ChannelRecorder
from vigil.app import Vigil
from vigil.governance.audit import AuditFilter
from vigil.governance.permissions import SYSTEM
from vigil.store.models import AnalyticsTrack

T0 = 1_796_630_400.0  # 2026-12-07T08:00:00Z
BOX = (0.1, 0.2, 0.3, 0.6)
#: (channel, label, attributes) of the tracks closed, in order.
CLOSED: list[tuple[str, str, dict[str, str] | None]] = [
    (HEFEI_CHANNEL, "person", {"upper": "red", "lower": "black"}),
    (HEFEI_CHANNEL, "car", {"type": "car", "colour": "white"}),
    (HEFEI_CHANNEL, "person", {"upper": "unknown", "lower": "black"}),
    (WUHU_CHANNEL, "truck", {"type": "truck", "colour": "red"}),
    (HEFEI_CHANNEL, "bicycle", {"type": "bicycle"}),
    (HEFEI_CHANNEL, "car", None),  # closed without a crop
]


async def record(node: Vigil) -> None:
    recorders = {
        channel: ChannelRecorder(channel, node.db, node.alarms, node.settings.data_dir)
        for channel in (HEFEI_CHANNEL, WUHU_CHANNEL)
    }
    numbers = itertools.count(1)
    for k, (channel, label, attributes) in enumerate(CLOSED):
        first = T0 + 60 * k
        crop = None if attributes is None else b"\xff\xd8\xff\xe0 a crop"
        closed = TrackClosed(
            next(numbers), label, first, first + 5, BOX, BOX, 0.8, 10, crop, attributes
        )
        await recorders[channel].record(closed)


async def test_attributes_are_stored_and_listed_by_filter(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    await record(node)
    async with node.db.session() as session:
        rows = (await session.scalars(select(AnalyticsTrack).order_by(AnalyticsTrack.id))).all()
    stored = [
        (r.attributes, r.vehicle_type, r.colour, r.upper_colour, r.lower_colour) for r in rows
    ]
    assert stored == [
        ({"upper": "red", "lower": "black"}, None, None, "red", "black"),
        ({"type": "car", "colour": "white"}, "car", "white", None, None),
        ({"upper": "unknown", "lower": "black"}, None, None, None, "black"),
        ({"type": "truck", "colour": "red"}, "truck", "red", None, None),
        ({"type": "bicycle"}, "bicycle", None, None, None),
        (None, None, None, None, None),
    ]

    async def listed(query: str) -> list[str]:
        response = await client.get(f"/api/v1/analytics/tracks?{query}", headers=admin)
        assert response.status_code == 200, response.text
        return [f"{t['label']}{t['track_id']}" for t in response.json()["items"]]

    assert await listed("colour=white") == ["car2"]
    assert await listed("colour=red") == ["truck4"]
    assert await listed("vehicle_type=truck&colour=red") == ["truck4"]
    assert await listed(f"colour=red&channel_id={HEFEI_CHANNEL}") == []
    assert await listed("upper_colour=red") == ["person1"]
    assert await listed("lower_colour=black") == ["person3", "person1"]
    assert await listed("upper_colour=red&lower_colour=black") == ["person1"]
    assert await listed("vehicle_type=bicycle") == ["bicycle5"]
    listing = await client.get("/api/v1/analytics/tracks?upper_colour=red", headers=admin)
    assert listing.json()["items"][0]["attributes"] == {"upper": "red", "lower": "black"}

    for bad in ("colour=silver", "upper_colour=unknown", "lower_colour=RED", "vehicle_type=van"):
        response = await client.get(f"/api/v1/analytics/tracks?{bad}", headers=admin)
        assert response.status_code == 422, bad


async def test_video_search_filters_by_attributes_and_records_them(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    await record(node)
    ask = {
        "channel_ids": [HEFEI_CHANNEL, WUHU_CHANNEL],
        "start": "2026-12-07T07:00:00Z",
        "end": "2026-12-07T09:00:00Z",
        "purpose": "a red truck seen at the gate",
    }

    async def found(**filters: str) -> list[list[str]]:
        response = await client.post("/api/v1/search/video", headers=admin, json={**ask, **filters})
        assert response.status_code == 200, response.text
        return [
            [f"{h['track']['label']}{h['track']['track_id']}" for h in channel["tracks"]]
            for channel in response.json()["channels"]
        ]

    assert await found(vehicle_type="truck", colour="red") == [[], ["truck4"]]
    assert await found(colour="white") == [["car2"], []]
    assert await found(label="person", lower_colour="black") == [["person3", "person1"], []]
    assert await found(upper_colour="red", lower_colour="black") == [["person1"], []]
    refused = await client.post(
        "/api/v1/search/video", headers=admin, json={**ask, "upper_colour": "silver"}
    )
    assert refused.status_code == 422, refused.text

    records = await node.audit.page(SYSTEM, AuditFilter(action="video.search"), None, 10)
    details = [json.loads(r.detail) for r in records]
    assert {"vehicle_type": "truck", "colour": "red"} in [d.get("attributes") for d in details]
