"""Searching recorded video through the API: what of a period is on record on a channel and which
tracks the analytics saw in it, each saying whether its start is on record; the ``search`` action
governed by the access policy (purpose, scope, role) and every search audited. Runs on SQLite and
PostgreSQL, with real segments written by the recorder."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.integration.api.helpers import add_user, set_clearance
from tests.integration.media.recording_synthetic import T0
from tests.integration.media.test_recording_api import iso, record_with_cut
from tests.integration.media.test_recording_export import CHANNEL, add_channel
from vigil.app import Vigil
from vigil.governance.audit import AuditFilter
from vigil.governance.permissions import SYSTEM
from vigil.store.models import OrgKind
from vigil.store.queries import analytics_tracks as q

START = datetime.fromtimestamp(T0, UTC)


def track(number: int, label: str, second: int) -> dict[str, Any]:
    box = [0.1, 0.2, 0.3, 0.6]
    return {
        "channel_id": CHANNEL, "track_id": number, "label": label,
        "started_at": START + timedelta(seconds=second), "ended_at": None,
        "first_box": box, "last_box": box, "best_score": 0.8, "frames": 5, "crop_path": None,
    }  # fmt: skip


def ask(**changes: Any) -> dict[str, Any]:
    """A search of the recorded hour for people, for a stated purpose."""
    body = {
        "channel_ids": [CHANNEL],
        "start": iso(0),
        "end": iso(3600),
        "label": "person",
        "purpose": "theft at the gate",
    }
    return {**body, **changes}


async def test_search_finds_what_is_on_record_and_the_tracks_in_it(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await add_channel(node)
    await record_with_cut(node)  # on record: 0–120 s and 300–360 s after T0
    seen = await q.insert_track(node.db, track(1, "person", 60))
    unrecorded = await q.insert_track(node.db, track(2, "person", 200))
    await q.insert_track(node.db, track(3, "car", 70))
    await q.insert_track(node.db, track(4, "person", 4000))  # after the period

    answer = await client.post("/api/v1/search/video", headers=admin, json=ask())
    assert answer.status_code == 200, answer.text
    (found,) = answer.json()["channels"]
    spans = [
        (datetime.fromisoformat(s["start"]), datetime.fromisoformat(s["end"]))
        for s in found["recorded"]
    ]
    assert spans == [
        (START, START + timedelta(seconds=120)),
        (START + timedelta(seconds=300), START + timedelta(seconds=360)),
    ]
    assert found["recorded_seconds"] == 180.0
    hits = [(h["track"]["id"], h["recorded"]) for h in found["tracks"]]
    assert hits == [(unrecorded, False), (seen, True)]  # newest first; the car is not a person
    assert found["more"] is False

    capped = await client.post("/api/v1/search/video", headers=admin, json=ask(limit=1))
    assert capped.json()["channels"][0]["more"] is True
    anything = await client.post("/api/v1/search/video", headers=admin, json=ask(label=None))
    assert len(anything.json()["channels"][0]["tracks"]) == 3

    records = await node.audit.page(SYSTEM, AuditFilter(action="video.search"), None, 10)
    details = [json.loads(r.detail) for r in records if r.outcome == "ok"]
    assert len(details) == 3
    first = details[-1]
    assert (first["channels"], first["label"], first["tracks"], first["recorded_seconds"]) == (
        [CHANNEL],
        "person",
        2,
        180.0,
    )
    assert all(d["purpose"] == "theft at the gate" for d in details)


async def test_search_is_governed(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await add_channel(node)
    await record_with_cut(node)
    viewer = await add_user(client, admin, "searcher", "viewer", ["3401"])
    auditor = await add_user(client, admin, "reader", "auditor", ["3401"])
    await node.organisations.create(SYSTEM, "3402", "芜湖市", OrgKind.region, None)
    outsider = await add_user(client, admin, "elsewhere", "operator", ["3402"])

    assert (
        await client.post("/api/v1/search/video", headers=viewer, json=ask())
    ).status_code == 200
    no_purpose = {k: v for k, v in ask().items() if k != "purpose"}
    missing = await client.post("/api/v1/search/video", headers=viewer, json=no_purpose)
    assert missing.status_code == 422, missing.text
    role = await client.post("/api/v1/search/video", headers=auditor, json=ask())
    assert role.status_code == 403 and "role auditor may not search video" in role.json()["detail"]
    scope = await client.post("/api/v1/search/video", headers=outsider, json=ask())
    assert scope.status_code == 403 and "outside your organisations" in scope.json()["detail"]
    too_long = await client.post(
        "/api/v1/search/video", headers=viewer, json=ask(end=iso(32 * 86400))
    )
    assert too_long.status_code == 422, too_long.text

    await client.put(
        f"/api/v1/channels/{CHANNEL}/sensitivity", headers=admin, json={"sensitivity": 2}
    )
    await set_clearance(client, admin, "searcher", 2)
    no_case = await client.post("/api/v1/search/video", headers=viewer, json=ask())
    assert no_case.status_code == 403 and no_case.json()["code"] == "access.case", no_case.text
    with_case = await client.post("/api/v1/search/video", headers=viewer, json=ask(case="A-9"))
    assert with_case.status_code == 200, with_case.text

    records = await node.audit.page(SYSTEM, AuditFilter(action="video.search"), None, 20)
    outcomes = sorted((r.actor, r.outcome) for r in records)
    assert outcomes == [
        ("elsewhere", "forbidden"),
        ("reader", "forbidden"),
        ("searcher", "forbidden"),
        ("searcher", "ok"),
        ("searcher", "ok"),
    ]
