"""The recordings API: list segments and gaps, plans, evidence locks and exports, each checked
against permissions and organisation scope and audited. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path

import httpx

from tests.integration.api.helpers import add_user
from tests.integration.media.export_jobs import finished
from tests.integration.media.recording_synthetic import T0, feed, stream
from tests.integration.media.test_recording_export import CHANNEL, KEY, add_channel
from vigil.app import Vigil
from vigil.governance.audit import AuditFilter
from vigil.governance.permissions import SYSTEM
from vigil.media.packet import Codec
from vigil.media.recording.index import utc

BASE = f"/api/v1/channels/{CHANNEL}"


async def approved_export(
    client: httpx.AsyncClient, requester: dict[str, str], start: str, end: str
) -> int:
    """The ID of ``requester``'s export request for the range, approved by a second admin."""
    body = {"kind": "export", "channel_id": CHANNEL, "start": start, "end": end, "purpose": "x"}
    asked = await client.post("/api/v1/approvals", headers=requester, json=body)
    assert asked.status_code == 201, asked.text
    approver = await add_user(client, requester, "approver", "admin", [])
    approval: int = asked.json()["id"]
    decided = await client.post(f"/api/v1/approvals/{approval}/approve", headers=approver, json={})
    assert decided.status_code == 200, decided.text
    return approval


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text)


def iso(offset: float) -> str:
    return utc(T0 + offset).isoformat()


async def record_with_cut(node: Vigil) -> None:
    packets = [*stream(Codec.H264, 120), *stream(Codec.H264, 60, start=T0 + 300, pts_start=10**7)]
    await (await node.recording.record(KEY, feed(iter(packets))))


async def test_list_lock_plan_and_scope(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await add_channel(node)
    await record_with_cut(node)
    listing = await client.get(
        f"{BASE}/recordings", headers=admin, params={"start": iso(0), "end": iso(3600)}
    )
    assert listing.status_code == 200, listing.text
    body = listing.json()
    assert len(body["segments"]) == 3
    assert [(parse(g["start"]), parse(g["end"]), g["cause"]) for g in body["gaps"][:1]] == [
        (utc(T0 + 120), utc(T0 + 300), "source-lost")
    ]
    # The packets ended at 360 s: recording is stopped now, and the listing says since when.
    assert [(parse(g["start"]), g["cause"], g["open"]) for g in body["gaps"]] == [
        (utc(T0 + 120), "source-lost", False),
        (utc(T0 + 360), "source-lost", True),
    ]
    assert not any(s["open"] for s in body["segments"])
    naive = await client.get(
        f"{BASE}/recordings", headers=admin, params={"start": "2025-01-01T00:00:00", "end": iso(9)}
    )
    assert naive.status_code == 422

    locked = await client.post(
        f"{BASE}/recordings/lock",
        headers=admin,
        json={"start": iso(10), "end": iso(70), "reason": "case 9"},
    )
    assert locked.status_code == 200 and len(locked.json()["segments"]) == 2
    listing = await client.get(
        f"{BASE}/recordings", headers=admin, params={"start": iso(0), "end": iso(3600)}
    )
    assert [s["locked"] for s in listing.json()["segments"]] == [True, True, False]

    plan = {"mode": "scheduled", "windows": [{"weekday": 4, "start": "22:00", "end": "06:00"}]}
    assert (await client.put(f"{BASE}/recording-plan", headers=admin, json=plan)).json() == plan
    assert (await client.get(f"{BASE}/recording-plan", headers=admin)).json() == plan
    bad = {"mode": "scheduled", "windows": [{"weekday": 9, "start": "22:00", "end": "06:00"}]}
    assert (await client.put(f"{BASE}/recording-plan", headers=admin, json=bad)).status_code == 422

    # A viewer may list and play back but not lock or export; another region sees nothing.
    viewer = await add_user(client, admin, "watcher", "viewer", ["3401"])
    assert (
        await client.get(
            f"{BASE}/recordings", headers=viewer, params={"start": iso(0), "end": iso(9)}
        )
    ).status_code == 200
    lock = {"start": iso(0), "end": iso(9), "locked": False}
    assert (
        await client.post(f"{BASE}/recordings/lock", headers=viewer, json=lock)
    ).status_code == 403
    export = {"start": iso(0), "end": iso(9), "purpose": "x"}
    assert (await client.post(f"{BASE}/exports", headers=viewer, json=export)).status_code == 403
    await node.organisations.create(SYSTEM, "3402", "芜湖市", "region", None)  # type: ignore[arg-type]
    outsider = await add_user(client, admin, "outsider", "operator", ["3402"])
    assert (
        await client.get(
            f"{BASE}/recordings", headers=outsider, params={"start": iso(0), "end": iso(9)}
        )
    ).status_code == 403

    audit = await node.audit.page(SYSTEM, AuditFilter(action="recording.lock"), None, 10)
    assert [(a.actor, a.channel_id, a.outcome) for a in audit] == [("admin", CHANNEL, "ok")]
    # The lock wrote its own record: the generic middleware did not add an http.post one.
    generic = await node.audit.page(SYSTEM, AuditFilter(action="http.post"), None, 50)
    assert not any(a.resource.endswith("/recordings/lock") and a.outcome == "ok" for a in generic)


async def test_export_download_manifest_and_verify(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str], tmp_path: Path
) -> None:
    await add_channel(node)
    await record_with_cut(node)
    approval = await approved_export(client, admin, iso(30), iso(330))
    started = await client.post(
        f"{BASE}/exports",
        headers=admin,
        json={"start": iso(30), "end": iso(330), "purpose": "court", "approval_id": approval},
    )
    assert started.status_code == 202, started.text
    job = started.json()
    status = await finished(client, admin, job["id"])
    assert status["state"] == "done", status
    manifest = (await client.get(f"/api/v1/exports/{job['id']}/manifest", headers=admin)).json()
    assert manifest["who"] == "admin" and manifest["purpose"] == "court"
    assert len(manifest["segments"]) == 3  # 0-60, 60-120 and 300-360 (the gap has none)

    video = await client.get(f"/api/v1/exports/{job['id']}/video", headers=admin)
    assert video.status_code == 200 and video.headers["content-type"] == "video/mp4"
    saved = tmp_path / "download.mp4"
    saved.write_bytes(video.content)
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0", saved],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert probe.stdout.strip() == "h264" and not probe.stderr

    verdict = (await client.get(f"/api/v1/exports/{job['id']}/verify", headers=admin)).json()
    assert verdict == {"ok": True, "problems": []}
    segment = node.recording.root / manifest["segments"][2]["path"]
    segment.write_bytes(segment.read_bytes()[:-1] + b"\x00")
    verdict = (await client.get(f"/api/v1/exports/{job['id']}/verify", headers=admin)).json()
    assert verdict["ok"] is False and manifest["segments"][2]["path"] in verdict["problems"][0]

    actions = [
        (a.action, a.channel_id)
        for a in await node.audit.page(SYSTEM, AuditFilter(actor="admin"), None, 50)
        if a.action.startswith("video.")
    ]
    assert actions == [("video.download", CHANNEL), ("video.export", CHANNEL)]
