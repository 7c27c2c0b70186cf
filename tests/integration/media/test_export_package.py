"""Exports under approval, end to end through the HTTP API on real recordings: refused without
an approved grant of the caller's (or with a revoked or expired one, or outside its range); with
one approved by a second user, the signed package downloads and ``vigil export verify`` (a real
process, offline) passes it, and names the file when one byte of the MP4 or of manifest.json
changes. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from tests.integration.api.helpers import add_user
from tests.integration.live import VIGIL, vigil_env
from tests.integration.media.export_jobs import finished
from tests.integration.media.recording_synthetic import T0, feed, stream
from tests.integration.media.test_recording_export import CHANNEL, KEY, add_channel
from vigil.app import Vigil
from vigil.governance.audit import AuditFilter
from vigil.governance.permissions import SYSTEM
from vigil.governance.signing import SigningKey, default_key_file
from vigil.media.packet import Codec
from vigil.media.recording.index import utc
from vigil.store.queries.approvals import move_approval
from vigil.store.types import utcnow

EXPORTS = f"/api/v1/channels/{CHANNEL}/exports"


def iso(offset: float) -> str:
    return utc(T0 + offset).isoformat()


def verify(package: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """``vigil export verify`` in its own process, with an empty data dir and no database."""
    return subprocess.run(
        [*VIGIL, "export", "verify", str(package), *extra],
        env=vigil_env(package.parent / "no-node"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def ask(client: httpx.AsyncClient, who: dict[str, str], start: str, end: str) -> int:
    body = {
        "kind": "export",
        "channel_id": CHANNEL,
        "start": start,
        "end": end,
        "purpose": "court",
        "case_number": "case 118",
    }
    asked = await client.post("/api/v1/approvals", headers=who, json=body)
    assert asked.status_code == 201, asked.text
    number: int = asked.json()["id"]
    return number


async def export(
    client: httpx.AsyncClient, who: dict[str, str], approval: int | None, end: float = 130
) -> httpx.Response:
    body: dict[str, Any] = {"start": iso(10), "end": iso(end), "purpose": "court"}
    if approval is not None:
        body["approval_id"] = approval
    return await client.post(EXPORTS, headers=who, json=body)


def flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def repacked(package: Path, name: str, change: bytes, out: Path) -> Path:
    """A copy of ``package`` with entry ``name`` replaced, as an editing tool would write it."""
    with zipfile.ZipFile(package) as old:
        entries = {n: old.read(n) for n in old.namelist()}
    entries[name] = change
    with zipfile.ZipFile(out, "w") as new:
        for entry, data in entries.items():
            new.writestr(entry, data)
    return out


async def test_an_approved_export_downloads_as_a_package_that_verifies_offline(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str], tmp_path: Path
) -> None:
    await add_channel(node)
    await (await node.recording.record(KEY, feed(stream(Codec.H264, 180))))
    alice = await add_user(client, admin, "alice", "operator", ["3401"])
    bob = await add_user(client, admin, "bob", "operator", ["3401"])

    refused = await export(client, alice, None)
    assert refused.status_code == 403 and refused.json()["code"] == "approval.required"
    approval = await ask(client, alice, iso(0), iso(150))
    pending = await export(client, alice, approval)
    assert pending.status_code == 403 and pending.json()["code"] == "approval.pending"
    own = await client.post(f"/api/v1/approvals/{approval}/approve", headers=alice, json={})
    assert own.status_code == 403 and own.json()["code"] == "approval.own_request"
    decided = await client.post(f"/api/v1/approvals/{approval}/approve", headers=bob, json={})
    assert decided.status_code == 200, decided.text
    # The grant is Alice's alone, and only for the range it names.
    assert (await export(client, bob, approval)).json()["code"] == "approval.not_yours"
    assert (await export(client, alice, approval, end=170)).json()["code"] == "approval.range"

    started = await export(client, alice, approval)
    assert started.status_code == 202, started.text
    status = await finished(client, alice, started.json()["id"])
    assert status["state"] == "done", status
    assert (status["approval_id"], status["case"], status["approver"]) == (
        approval,
        "case 118",
        "bob",
    )
    job = status["id"]
    download = await client.get(f"/api/v1/exports/{job}/package", headers=alice)
    assert download.status_code == 200 and download.headers["content-type"] == "application/zip"
    package = tmp_path / status["package"]
    package.write_bytes(download.content)

    with zipfile.ZipFile(package) as opened:
        assert sorted(opened.namelist()) == sorted(
            [status["file"], "manifest.json", "manifest.sig", "public_key"]
        )
        manifest = json.loads(opened.read("manifest.json"))
        video = opened.read(status["file"])
    assert manifest["export"]["sha256"] == hashlib.sha256(video).hexdigest()
    assert (manifest["requester"], manifest["approver"], manifest["approval_id"]) == (
        "alice",
        "bob",
        approval,
    )
    assert (manifest["case"], manifest["purpose"], manifest["channel_id"]) == (
        "case 118",
        "court",
        CHANNEL,
    )
    assert len(manifest["segments"]) == 3
    exports = await node.audit.page(SYSTEM, AuditFilter(action="video.export"), None, 20)
    (made,) = [r for r in exports if r.outcome == "ok"]
    audit = manifest["audit"]
    assert audit["seq"] == made.seq and audit["size"] >= made.seq
    # The record in the package is the export's record, hashed as the log hashes it.
    leaf = json.loads(base64.b64decode(audit["leaf"]))
    assert (leaf["seq"], leaf["action"], leaf["channel_id"]) == (made.seq, "video.export", CHANNEL)
    assert json.loads(made.detail)["approval"] == approval
    refusals = [json.loads(r.detail)["reason"] for r in reversed(exports) if r.outcome != "ok"]
    assert refusals == [
        "approval.required",
        "approval.pending",
        "approval.not_yours",
        "approval.range",
    ]
    downloads = await node.audit.page(SYSTEM, AuditFilter(action="video.download"), None, 5)
    assert [(d.actor, d.channel_id, json.loads(d.detail)["file"]) for d in downloads] == [
        ("alice", CHANNEL, status["package"])
    ]

    # Offline: no node, no database; the node's key from its file (base64 text) checks it too.
    node_key = SigningKey.load_or_create(default_key_file(node.settings.data_dir))
    key_file = tmp_path / "node.pub"
    key_file.write_text(base64.b64encode(node_key.public_raw).decode() + "\n")
    for extra in ([], ["--public-key", str(key_file)]):
        passed = verify(package, *extra)
        assert passed.returncode == 0, passed.stdout + passed.stderr
        assert passed.stdout.startswith(f"package intact: {status['file']}")

    changed_video = repacked(
        package, status["file"], flip(video, len(video) // 2), tmp_path / "v.zip"
    )
    failed = verify(changed_video)
    assert failed.returncode == 1
    assert failed.stdout.splitlines()[0] == f"{status['file']}: SHA-256 differs from the manifest"

    raw = package.read_bytes()
    in_place = tmp_path / "in-place.zip"
    in_place.write_bytes(flip(raw, raw.index(video[:4096]) + len(video) // 2))
    failed = verify(in_place)
    assert failed.returncode == 1 and failed.stdout.startswith(f"{status['file']}: damaged")

    text = json.dumps(manifest, indent=2, ensure_ascii=False).encode() + b"\n"
    with zipfile.ZipFile(package) as opened:
        assert opened.read("manifest.json") == text  # the exact bytes that were signed
    at = text.index(b'"court"') + 2
    changed_manifest = repacked(package, "manifest.json", flip(text, at), tmp_path / "m.zip")
    failed = verify(changed_manifest)
    assert failed.returncode == 1
    assert failed.stdout.splitlines()[0] == "manifest.json: signature does not match"


async def test_a_revoked_or_expired_grant_is_refused(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await add_channel(node)
    alice = await add_user(client, admin, "alice", "operator", ["3401"])
    bob = await add_user(client, admin, "bob", "operator", ["3401"])
    revoked = await ask(client, alice, iso(0), iso(150))
    expired = await ask(client, alice, iso(0), iso(150))
    for approval in (revoked, expired):
        decided = await client.post(f"/api/v1/approvals/{approval}/approve", headers=bob, json={})
        assert decided.status_code == 200
    granted = (await client.get(f"/api/v1/approvals/{expired}", headers=alice)).json()
    lifetime = node.settings.approval_grant_minutes
    assert granted["expires_at"] is not None and lifetime == 60

    await client.post(f"/api/v1/approvals/{revoked}/revoke", headers=admin, json={})
    refused = await export(client, alice, revoked)
    assert (refused.status_code, refused.json()["code"]) == (403, "approval.revoked")

    # An hour later (the stored expiry moved back, as the clock would have moved on):
    past = utcnow() - timedelta(seconds=1)
    assert await move_approval(node.db, expired, ["approved"], {"expires_at": past}) is not None
    refused = await export(client, alice, expired)
    assert (refused.status_code, refused.json()["code"]) == (403, "approval.expired")
    assert (await client.get(f"/api/v1/approvals/{expired}", headers=alice)).json()[
        "state"
    ] == "expired"
    inbox = (await client.get("/api/v1/approvals", headers=bob)).json()
    assert inbox["counts"] == {"revoked": 1, "expired": 1}
