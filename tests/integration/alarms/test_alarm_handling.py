"""Alarms raised by analytics, listed, counted, acknowledged and closed through the API: every
step audited, every list kept to the caller's organisation scope."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import select

from tests.integration.api.helpers import HEFEI_CHANNEL, WUHU_CHANNEL, add_user, build_tree
from vigil.app import Vigil
from vigil.store.models import AuditRecord

AT = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


async def _raise(node: Vigil, channel: str, kind: str = "intrusion", minutes: int = 0) -> int:
    alarm = await node.alarms.raise_analytics(
        channel_id=channel,
        rule_id=7,
        kind=kind,
        at=AT + timedelta(minutes=minutes),
        track_id=3,
        label="person",
        box=(10.0, 20.0, 110.0, 220.0),
        score=0.8,
    )
    return alarm.id


async def _audit(node: Vigil, resource: str) -> list[tuple[str, str, str]]:
    async with node.db.session() as session:
        rows = await session.scalars(
            select(AuditRecord).where(AuditRecord.resource == resource).order_by(AuditRecord.seq)
        )
        return [(r.action, r.actor, r.outcome) for r in rows]


async def test_raise_list_acknowledge_close_with_audit(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    first = await _raise(node, HEFEI_CHANNEL)
    second = await _raise(node, WUHU_CHANNEL, kind="loitering", minutes=5)

    listed = (await client.get("/api/v1/alarms", headers=admin)).json()
    assert [a["id"] for a in listed["items"]] == [second, first]  # newest first
    alarm = (await client.get(f"/api/v1/alarms/{first}", headers=admin)).json()
    assert alarm["source"] == "analytics" and alarm["state"] == "new"
    assert alarm["detail"]["box"] == [10.0, 20.0, 110.0, 220.0]
    assert alarm["detail"]["rule_id"] == 7 and alarm["detail"]["label"] == "person"
    # The clip: CLIP_SECONDS either side of the alarm's time.
    start = datetime.fromisoformat(alarm["clip_start"])
    end = datetime.fromisoformat(alarm["clip_end"])
    assert start < AT < end and end - start == 2 * node.alarms.clip

    url = f"/api/v1/alarms/{first}"
    ack = await client.post(f"{url}/acknowledge", headers=admin, json={"note": "on my way"})
    assert ack.status_code == 200, ack.text
    assert ack.json()["state"] == "acknowledged" and ack.json()["acknowledged_by"] == "admin"
    assert ack.json()["acknowledged_note"] == "on my way"
    again = await client.post(f"{url}/acknowledge", headers=admin, json={})
    assert again.status_code == 409 and again.json()["code"] == "alarm.state"
    closed = await client.post(f"{url}/close", headers=admin, json={"note": "false alarm"})
    assert closed.json()["state"] == "closed" and closed.json()["closed_note"] == "false alarm"
    assert closed.json()["closed_at"] is not None

    counts = (await client.get("/api/v1/alarms/counts", headers=admin)).json()
    assert counts == {"new": 1, "acknowledged": 0, "closed": 1}
    only_new = await client.get("/api/v1/alarms", headers=admin, params={"state": "new"})
    assert [a["id"] for a in only_new.json()["items"]] == [second]
    by_kind = await client.get("/api/v1/alarms", headers=admin, params={"kind": "intrusion"})
    assert [a["id"] for a in by_kind.json()["items"]] == [first]
    window = {
        "from": (AT + timedelta(minutes=1)).isoformat(),
        "to": (AT + timedelta(hours=1)).isoformat(),
    }
    in_window = await client.get("/api/v1/alarms", headers=admin, params=window)
    assert [a["id"] for a in in_window.json()["items"]] == [second]
    paged = (await client.get("/api/v1/alarms", headers=admin, params={"limit": 1})).json()
    assert [a["id"] for a in paged["items"]] == [second] and paged["next"]
    rest = await client.get(
        "/api/v1/alarms", headers=admin, params={"limit": 1, "cursor": paged["next"]}
    )
    assert [a["id"] for a in rest.json()["items"]] == [first] and rest.json()["next"] is None

    assert await _audit(node, f"alarm:{first}") == [
        ("alarm.raise", "alarms:analytics", "ok"),
        ("alarm.acknowledge", "admin", "ok"),
        ("alarm.acknowledge", "admin", "conflict"),
        ("alarm.close", "admin", "ok"),
    ]


async def test_scoped_users_see_and_handle_only_their_alarms(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    hefei = await _raise(node, HEFEI_CHANNEL)
    wuhu = await _raise(node, WUHU_CHANNEL)
    operator = await add_user(client, admin, "hefei-operator", "operator", ["3401"])
    viewer = await add_user(client, admin, "hefei-viewer", "viewer", ["3401"])

    seen = (await client.get("/api/v1/alarms", headers=operator)).json()
    assert [a["id"] for a in seen["items"]] == [hefei]
    counts = (await client.get("/api/v1/alarms/counts", headers=operator)).json()
    assert counts == {"new": 1, "acknowledged": 0, "closed": 0}
    assert (await client.get(f"/api/v1/alarms/{wuhu}", headers=operator)).status_code == 404
    refused = await client.post(f"/api/v1/alarms/{wuhu}/close", headers=operator, json={})
    assert refused.status_code == 404
    other_org = await client.get("/api/v1/alarms", headers=operator, params={"org": "3402"})
    assert other_org.status_code == 403
    by_org = await client.get("/api/v1/alarms", headers=admin, params={"org": "3402"})
    assert [a["id"] for a in by_org.json()["items"]] == [wuhu]

    # A viewer reads alarms but may not handle them.
    assert len((await client.get("/api/v1/alarms", headers=viewer)).json()["items"]) == 1
    denied = await client.post(f"/api/v1/alarms/{hefei}/acknowledge", headers=viewer, json={})
    assert denied.status_code == 403
    done = await client.post(f"/api/v1/alarms/{hefei}/acknowledge", headers=operator, json={})
    assert done.status_code == 200 and done.json()["acknowledged_by"] == "hefei-operator"
    assert ("alarm.acknowledge", "hefei-viewer", "forbidden") in await _audit(
        node, f"alarm:{hefei}"
    )
