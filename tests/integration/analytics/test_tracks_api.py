"""The analytics events store and its API: tracks written open and closed, listed newest first
with filters, scope and a cursor, expired with their crops in batches; a crop streamed to callers
with live video in whose scope the track lies, each read audited as video access."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select

from tests.integration.api.helpers import (
    HEFEI_CHANNEL,
    WUHU_CHANNEL,
    add_user,
    build_tree,
    still_refused_then_served,
)
from vigil.analytics.live.retention import expire_tracks
from vigil.app import Vigil
from vigil.store.models import AnalyticsTrack, AuditRecord
from vigil.store.queries import analytics_tracks as q

T0 = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
PICTURE = b"\xff\xd8\xff\xe0 a crop's first bytes"


def values(channel: str, track: int, label: str, minutes: int, crop: str | None = None) -> Any:
    box = [0.1, 0.2, 0.3, 0.6]
    return {
        "channel_id": channel, "track_id": track, "label": label,
        "started_at": T0 + timedelta(minutes=minutes), "ended_at": None,
        "first_box": box, "last_box": box, "best_score": 0.7, "frames": 0, "crop_path": crop,
    }  # fmt: skip


async def test_tracks_open_close_and_list_with_filters_scope_and_cursor(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    first = await q.insert_track(node.db, values(HEFEI_CHANNEL, 1, "person", 0))
    await q.insert_track(node.db, values(HEFEI_CHANNEL, 2, "car", 1))
    await q.insert_track(node.db, values(WUHU_CHANNEL, 1, "person", 2))
    closed = {"ended_at": T0 + timedelta(seconds=30), "last_box": [0.5, 0.2, 0.7, 0.6],
              "best_score": 0.9, "frames": 40}  # fmt: skip
    assert await q.close_track(node.db, first, closed)
    assert not await q.close_track(node.db, 10_000, closed)

    response = await client.get("/api/v1/analytics/tracks", headers=admin)
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [(t["channel_id"], t["track_id"]) for t in items] == [
        (WUHU_CHANNEL, 1), (HEFEI_CHANNEL, 2), (HEFEI_CHANNEL, 1),
    ]  # fmt: skip
    assert items[2]["frames"] == 40 and items[2]["last_box"] == [0.5, 0.2, 0.7, 0.6]
    assert items[2]["ended_at"].startswith("2026-12-07T08:00:30") and items[1]["ended_at"] is None

    async def listed(query: str, headers: dict[str, str] = admin) -> list[int]:
        response = await client.get(f"/api/v1/analytics/tracks?{query}", headers=headers)
        assert response.status_code == 200, response.text
        return [t["track_id"] for t in response.json()["items"]]

    assert await listed(f"channel_id={HEFEI_CHANNEL}&label=person") == [1]
    assert await listed("since=2026-12-07T08:01:00Z&until=2026-12-07T08:02:00Z") == [2]
    page = (await client.get("/api/v1/analytics/tracks?limit=2", headers=admin)).json()
    assert len(page["items"]) == 2 and page["next"]
    rest = await listed(f"limit=2&cursor={page['next']}")
    assert rest == [1]
    viewer = await add_user(client, admin, "hefei-viewer", "viewer", ["3401"])
    assert await listed("", viewer) == [2, 1]  # Wuhu's track is outside the scope

    for bad in ("channel_id=12", "label=%3Cscript%3E", "since=yesterday",
                "since=2026-12-07T09:00:00Z&until=2026-12-07T08:00:00Z", "limit=0"):  # fmt: skip
        response = await client.get(f"/api/v1/analytics/tracks?{bad}", headers=admin)
        assert response.status_code in (400, 422), bad


async def test_the_crop_is_streamed_audited_and_scoped(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    (node.settings.data_dir / "c.jpg").write_bytes(PICTURE)
    hefei = await q.insert_track(node.db, values(HEFEI_CHANNEL, 1, "person", 0, "c.jpg"))
    wuhu = await q.insert_track(node.db, values(WUHU_CHANNEL, 1, "person", 0, "c.jpg"))
    bare = await q.insert_track(node.db, values(HEFEI_CHANNEL, 2, "person", 0))
    gone = await q.insert_track(node.db, values(HEFEI_CHANNEL, 3, "person", 0, "gone.jpg"))
    escape = await q.insert_track(node.db, values(HEFEI_CHANNEL, 4, "person", 0, "../x.jpg"))
    viewer = await add_user(client, admin, "hefei-viewer", "viewer", ["3401"])
    auditor = await add_user(client, admin, "the-auditor", "auditor", [])

    seen = await client.get(f"/api/v1/analytics/tracks/{hefei}/crop", headers=viewer)
    assert seen.status_code == 200 and seen.content == PICTURE
    assert seen.headers["content-type"] == "image/jpeg"
    other = await client.get(f"/api/v1/analytics/tracks/{wuhu}/crop", headers=viewer)
    assert other.status_code == 404 and other.json()["code"] == "track.not_found"
    refused = await client.get(f"/api/v1/analytics/tracks/{hefei}/crop", headers=auditor)
    assert refused.status_code == 403
    for track, code in ((bare, "track.no_crop"), (gone, "track.crop_missing"),
                        (escape, "track.crop_missing")):  # fmt: skip
        response = await client.get(f"/api/v1/analytics/tracks/{track}/crop", headers=admin)
        assert (response.status_code, response.json()["code"]) == (404, code)

    async with node.db.session() as session:
        reads = await session.scalars(
            select(AuditRecord)
            .where(AuditRecord.resource == f"track:{hefei}")
            .where(AuditRecord.action == "video.snapshot")
        )
        assert [(r.actor, r.outcome) for r in reads] == [("hefei-viewer", "ok")]


async def test_expiry_deletes_old_tracks_and_their_crops_in_batches(node: Vigil) -> None:
    folder = node.settings.data_dir / "analytics"
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(7):
        (folder / f"{k}.jpg").write_bytes(PICTURE)
        await q.insert_track(node.db, values(HEFEI_CHANNEL, k, "person", k, f"analytics/{k}.jpg"))
    deleted = await expire_tracks(node.db, node.settings.data_dir, T0 + timedelta(minutes=5), 2)
    assert deleted == 5
    assert sorted(p.name for p in folder.iterdir()) == ["5.jpg", "6.jpg"]
    async with node.db.session() as session:
        kept = (await session.scalars(select(AnalyticsTrack.track_id))).all()
    assert sorted(kept) == [5, 6]


async def test_a_crop_follows_the_access_policy_like_live_video(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    """A crop is a still of the live picture: a channel above the viewer's clearance refuses it
    with the policy's reason (recorded), until the clearance is raised."""
    await build_tree(client, admin)
    (node.settings.data_dir / "c.jpg").write_bytes(PICTURE)
    track = await q.insert_track(node.db, values(HEFEI_CHANNEL, 1, "person", 0, "c.jpg"))
    crop = f"/api/v1/analytics/tracks/{track}/crop"
    refused, seen = await still_refused_then_served(client, admin, crop)
    assert f"channel {HEFEI_CHANNEL} needs clearance 2" in refused.json()["detail"]
    assert seen.status_code == 200 and seen.content == PICTURE

    async with node.db.session() as session:
        rows = await session.scalars(
            select(AuditRecord).where(AuditRecord.actor == "low-viewer").order_by(AuditRecord.seq)
        )
        assert [(r.action, r.outcome) for r in rows if r.action.startswith("video.")] == [
            ("video.live", "forbidden"),
            ("video.snapshot", "ok"),
        ]
