"""The availability routes: faults with evidence (audited, in scope), work orders, intact rate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import select

from tests.integration.api.helpers import (
    HEFEI_CHANNEL,
    WUHU_CHANNEL,
    add_user,
    still_refused_then_served,
)
from tests.integration.health.test_intact_rate import seed
from vigil.app import Vigil
from vigil.store.models import AuditRecord, VideoFault, WorkOrder

JPEG = b"\xff\xd8\xff\xe0 evidence \xff\xd9"
OPENED = datetime(2026, 12, 1, 8, tzinfo=UTC)


async def add_faults(node: Vigil) -> tuple[int, int]:
    """An open fault on the Hefei camera (with evidence), a repaired one on the Wuhu camera."""
    relative = Path("health/evidence") / HEFEI_CHANNEL / "1.jpg"
    (node.settings.data_dir / relative).parent.mkdir(parents=True)
    (node.settings.data_dir / relative).write_bytes(JPEG)
    async with node.db.session() as session, session.begin():
        hefei = VideoFault(
            channel_id=HEFEI_CHANNEL,
            kind="frozen",
            score=0.0,
            threshold=0.5,
            opened_at=OPENED,
            evidence_path=relative.as_posix(),
        )
        wuhu = VideoFault(
            channel_id=WUHU_CHANNEL,
            kind="blur",
            score=0.01,
            threshold=0.05,
            opened_at=OPENED,
            closed_at=OPENED + timedelta(hours=3),
        )
        session.add_all([hefei, wuhu])
        await session.flush()
        session.add_all(
            [
                WorkOrder(
                    fault_id=hefei.id, channel_id=HEFEI_CHANNEL, assignee="unit A", opened_at=OPENED
                ),
                WorkOrder(
                    fault_id=wuhu.id,
                    channel_id=WUHU_CHANNEL,
                    assignee="unit B",
                    opened_at=OPENED,
                    closed_at=OPENED + timedelta(hours=3),
                ),
            ]
        )
        return hefei.id, wuhu.id


async def test_faults_evidence_and_work_orders(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    await seed(client, admin, node)
    hefei, wuhu = await add_faults(node)

    response = await client.get("/api/v1/faults", params={"open": "true"}, headers=admin)
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [f["id"] for f in items] == [hefei, *[f["id"] for f in items[1:]]]
    assert all(f["closed_at"] is None for f in items)
    assert items[0]["evidence_url"] == f"/api/v1/faults/{hefei}/evidence"

    history = await client.get(f"/api/v1/channels/{WUHU_CHANNEL}/faults", headers=admin)
    assert [f["id"] for f in history.json()["items"]] == [wuhu]
    assert history.json()["items"][0]["evidence_url"] is None

    image = await client.get(f"/api/v1/faults/{hefei}/evidence", headers=admin)
    assert image.status_code == 200 and image.content == JPEG
    assert image.headers["content-type"] == "image/jpeg"
    async with node.db.session() as session:
        record = await session.scalar(
            select(AuditRecord).where(AuditRecord.resource == f"fault:{hefei}")
        )
    assert record is not None and record.action == "video.snapshot"
    assert record.channel_id == HEFEI_CHANNEL and record.actor == "admin"
    assert (await client.get(f"/api/v1/faults/{wuhu}/evidence", headers=admin)).status_code == 404

    orders = (await client.get("/api/v1/work-orders", headers=admin)).json()["items"]
    by_channel = {o["channel_id"]: o for o in orders}
    assert by_channel[HEFEI_CHANNEL]["assignee"] == "unit A"
    assert by_channel[HEFEI_CHANNEL]["repair_seconds"] is None
    assert by_channel[WUHU_CHANNEL]["repair_seconds"] == 3 * 3600
    assert (by_channel[HEFEI_CHANNEL]["kind"], by_channel[WUHU_CHANNEL]["kind"]) == (
        "frozen",
        "blur",
    )
    closed = await client.get("/api/v1/work-orders", params={"open": "false"}, headers=admin)
    assert [o["channel_id"] for o in closed.json()["items"]] == [WUHU_CHANNEL]


async def test_a_viewer_sees_only_faults_in_scope(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    await seed(client, admin, node)
    hefei, _ = await add_faults(node)
    viewer = await add_user(client, admin, "wuhu-viewer", "viewer", ["3402"])
    listed = (await client.get("/api/v1/faults", headers=viewer)).json()["items"]
    assert {f["channel_id"] for f in listed} == {WUHU_CHANNEL}
    orders = (await client.get("/api/v1/work-orders", headers=viewer)).json()["items"]
    assert {o["channel_id"] for o in orders} == {WUHU_CHANNEL}
    denied = await client.get(f"/api/v1/channels/{HEFEI_CHANNEL}/faults", headers=viewer)
    assert denied.status_code == 403
    assert (await client.get(f"/api/v1/faults/{hefei}/evidence", headers=viewer)).status_code == 403
    rate = await client.get(
        "/api/v1/intact-rate",
        params={"org": "3401", "from": "2026-11-01", "to": "2026-11-30"},
        headers=viewer,
    )
    assert rate.status_code == 403


async def test_intact_rate_route(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    await seed(client, admin, node)
    params = {"org": "34", "from": "2026-11-01", "to": "2026-11-30", "by": "industry"}
    response = await client.get("/api/v1/intact-rate", params=params, headers=admin)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["from"] == "2026-11-01" and body["by"] == "industry"
    assert body["total"]["camera_days"] == 90 and body["total"]["intact"] == 75
    groups = {g["group"]: (g["intact"], g["camera_days"], g["target"]) for g in body["groups"]}
    assert groups == {"00": (50, 60, 0.95), "05": (25, 30, 0.95)}
    backwards = {**params, "from": "2026-11-30", "to": "2026-11-01"}
    response = await client.get("/api/v1/intact-rate", params=backwards, headers=admin)
    assert response.status_code == 422


async def test_diagnosing_an_unknown_channel_is_not_found(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    response = await client.post("/api/v1/channels/34010000001329999999/diagnose", headers=admin)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_ptz_check_needs_device_control(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    await seed(client, admin, node)
    viewer = await add_user(client, admin, "ptz-viewer", "viewer", ["3401"])
    path = f"/api/v1/channels/{HEFEI_CHANNEL}/ptz-check"
    assert (await client.post(path, headers=viewer)).status_code == 403
    missing = "/api/v1/channels/34010000001329999999/ptz-check"
    assert (await client.post(missing, headers=admin)).status_code == 404


async def test_evidence_follows_the_access_policy_like_live_video(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    """A fault's evidence is a still of the live picture: above the viewer's clearance it is
    refused with the policy's reason, until the clearance is raised."""
    await seed(client, admin, node)
    hefei, _ = await add_faults(node)
    evidence = f"/api/v1/faults/{hefei}/evidence"
    _, image = await still_refused_then_served(client, admin, evidence)
    assert image.status_code == 200 and image.content == JPEG
