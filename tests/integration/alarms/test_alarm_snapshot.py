"""An alarm's snapshot through the API: the stored picture streamed back, to callers with live
video in whose scope the alarm lies, each read audited as video access; an alarm without one, a
file gone missing and a path that leads out of the data directory are 404s."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from sqlalchemy import select

from tests.integration.api.helpers import (
    HEFEI_CHANNEL,
    WUHU_CHANNEL,
    add_user,
    build_tree,
    still_refused_then_served,
)
from vigil.app import Vigil
from vigil.store.models import AuditRecord

AT = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
PICTURE = b"\xff\xd8\xff\xe0 a JPEG's first bytes, then this test's own"


async def _raise(node: Vigil, channel: str, snapshot: str | None) -> int:
    alarm = await node.alarms.raise_analytics(
        channel_id=channel, rule_id=1, kind="intrusion", at=AT, snapshot_path=snapshot
    )
    return alarm.id


async def _snapshot_reads(node: Vigil, alarm_id: int) -> list[tuple[str, str]]:
    async with node.db.session() as session:
        rows = await session.scalars(
            select(AuditRecord)
            .where(AuditRecord.resource == f"alarm:{alarm_id}")
            .where(AuditRecord.action == "video.snapshot")
            .order_by(AuditRecord.seq)
        )
        return [(r.actor, r.outcome) for r in rows]


async def test_the_snapshot_is_streamed_and_audited(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    folder = node.settings.data_dir / "snapshots"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.jpg").write_bytes(PICTURE)
    alarm = await _raise(node, HEFEI_CHANNEL, "snapshots/a.jpg")

    response = await client.get(f"/api/v1/alarms/{alarm}/snapshot", headers=admin)
    assert response.status_code == 200, response.text
    assert response.content == PICTURE
    assert response.headers["content-type"] == "image/jpeg"
    assert response.headers["cache-control"] == "no-store"
    assert await _snapshot_reads(node, alarm) == [("admin", "ok")]


async def test_no_snapshot_missing_file_and_escapes_are_404(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    outside = node.settings.data_dir.parent / "outside.jpg"
    outside.write_bytes(PICTURE)
    cases = {
        await _raise(node, HEFEI_CHANNEL, None): "alarm.no_snapshot",
        await _raise(node, HEFEI_CHANNEL, "snapshots/gone.jpg"): "alarm.snapshot_missing",
        await _raise(node, HEFEI_CHANNEL, "../outside.jpg"): "alarm.snapshot_missing",
        await _raise(node, HEFEI_CHANNEL, str(outside)): "alarm.snapshot_missing",
    }
    for alarm, code in cases.items():
        response = await client.get(f"/api/v1/alarms/{alarm}/snapshot", headers=admin)
        assert (response.status_code, response.json()["code"]) == (404, code)


async def test_the_snapshot_needs_live_video_and_scope(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    (node.settings.data_dir / "b.jpg").write_bytes(PICTURE)
    hefei = await _raise(node, HEFEI_CHANNEL, "b.jpg")
    wuhu = await _raise(node, WUHU_CHANNEL, "b.jpg")
    viewer = await add_user(client, admin, "hefei-viewer", "viewer", ["3401"])
    auditor = await add_user(client, admin, "the-auditor", "auditor", [])

    seen = await client.get(f"/api/v1/alarms/{hefei}/snapshot", headers=viewer)
    assert seen.status_code == 200 and seen.content == PICTURE
    other = await client.get(f"/api/v1/alarms/{wuhu}/snapshot", headers=viewer)
    assert other.status_code == 404 and other.json()["code"] == "alarm.not_found"
    refused = await client.get(f"/api/v1/alarms/{hefei}/snapshot", headers=auditor)
    assert refused.status_code == 403
    assert await _snapshot_reads(node, hefei) == [("hefei-viewer", "ok")]
    assert await _snapshot_reads(node, wuhu) == []


async def test_the_snapshot_follows_the_access_policy_like_live_video(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    """An alarm's picture is a still of the channel's live video: above the viewer's clearance it
    is refused with the policy's reason, until the clearance is raised."""
    await build_tree(client, admin)
    (node.settings.data_dir / "b.jpg").write_bytes(PICTURE)
    alarm = await _raise(node, HEFEI_CHANNEL, "b.jpg")
    _, seen = await still_refused_then_served(client, admin, f"/api/v1/alarms/{alarm}/snapshot")
    assert seen.status_code == 200 and seen.content == PICTURE
    assert await _snapshot_reads(node, alarm) == [("low-viewer", "ok")]
