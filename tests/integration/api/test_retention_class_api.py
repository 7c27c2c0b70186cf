"""The retention-class route and the lock's case and expiry over HTTP: ``catalog:write`` sets
a channel's class (audited, refused to a viewer, unknown classes refused); a lock carries its case
and expiry and refuses an expiry already past. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx

from tests.integration.api.helpers import add_user
from tests.integration.media.recording_synthetic import T0, feed, stream
from tests.integration.media.test_recording_export import CHANNEL, KEY, add_channel
from vigil.app import Vigil
from vigil.governance.audit import AuditFilter
from vigil.governance.permissions import SYSTEM
from vigil.media.packet import Codec
from vigil.media.recording.index import utc
from vigil.store.queries.retention import get_retention_class

BASE = f"/api/v1/channels/{CHANNEL}"


async def test_put_retention_class(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await add_channel(node)
    assert await get_retention_class(node.db, CHANNEL) == "standard"

    put = await client.put(
        f"{BASE}/retention-class", headers=admin, json={"retention_class": "key_area"}
    )
    assert put.status_code == 200, put.text
    assert put.json() == {"retention_class": "key_area", "days": 90}
    assert await get_retention_class(node.db, CHANNEL) == "key_area"
    [record] = await node.audit.page(
        SYSTEM, AuditFilter(action="channel.retention_class"), None, 10
    )
    assert record.actor == "admin" and record.outcome == "ok" and record.channel_id == CHANNEL
    assert json.loads(record.detail) == {"retention_class": "key_area", "days": 90}

    bad = await client.put(f"{BASE}/retention-class", headers=admin, json={"retention_class": "x"})
    assert bad.status_code == 422
    viewer = await add_user(client, admin, "watcher", "viewer", ["3401"])
    refused = await client.put(
        f"{BASE}/retention-class", headers=viewer, json={"retention_class": "traffic"}
    )
    assert refused.status_code == 403
    missing = await client.put(
        "/api/v1/channels/34010000001310009999/retention-class",
        headers=admin,
        json={"retention_class": "traffic"},
    )
    assert missing.status_code == 404
    assert await get_retention_class(node.db, CHANNEL) == "key_area"


async def test_lock_with_case_and_expiry(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await add_channel(node)
    await (await node.recording.record(KEY, feed(stream(Codec.H264, 120))))
    expires = utc(T0) + timedelta(days=10)
    body = {
        "start": utc(T0).isoformat(),
        "end": utc(T0 + 60).isoformat(),
        "reason": "assault",
        "case": "A-2026-17",
        "expires_at": expires.isoformat(),
    }
    locked = await client.post(f"{BASE}/recordings/lock", headers=admin, json=body)
    assert locked.status_code == 200, locked.text
    rows = await node.recording.index.segments(CHANNEL, utc(T0 - 1), utc(T0 + 3600))
    assert [(r.locked, r.lock_case, r.lock_expires_at) for r in rows] == [
        (True, "A-2026-17", expires),
        (False, None, None),
    ]

    past = {**body, "expires_at": utc(T0).isoformat()}
    refused = await client.post(f"{BASE}/recordings/lock", headers=admin, json=past)
    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == "lock.expired"
