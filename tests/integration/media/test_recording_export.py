"""Export of a range: one MP4 that FFmpeg reads, a manifest whose hashes are the segments', and
verification that names an edited segment. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json

import av

from tests.integration.media.approval_grants import export_grant
from tests.integration.media.recording_synthetic import T0, feed, stream
from tests.integration.media.test_recording_hour import ffprobe
from vigil.app import Vigil
from vigil.governance.audit import AuditFilter
from vigil.governance.audited import Caller
from vigil.governance.permissions import SYSTEM
from vigil.media.packet import Codec, StreamKey
from vigil.media.playback.service import ExportJob
from vigil.media.recording.index import utc
from vigil.store.models import OrgKind

CHANNEL = "34010000001320000001"
KEY = StreamKey(CHANNEL)


async def add_channel(node: Vigil) -> None:
    await node.organisations.create(SYSTEM, "3401", "合肥市", OrgKind.region, None)
    device = "34010000001180000001"
    await node.devices.create(SYSTEM, device, {"name": "NVR", "organisation_id": "3401"})
    await node.channels.create(SYSTEM, CHANNEL, device, {"name": "gate"})


async def finished(node: Vigil, job: ExportJob) -> ExportJob:
    for _ in range(400):
        if job.state != "running":
            return job
        await asyncio.sleep(0.05)
    raise AssertionError("export did not finish within 20 s")


async def test_export_manifest_matches_segments_and_detects_an_edit(node: Vigil) -> None:
    await add_channel(node)
    await (await node.recording.record(KEY, feed(stream(Codec.H264, 300))))
    span = utc(T0 + 70.5), utc(T0 + 190)
    exporter, approval = await export_grant(node, CHANNEL, *span)
    job = await node.playback.export(
        Caller(exporter, "127.0.0.9"), CHANNEL, *span, "case 42", approval
    )
    job = await finished(node, job)
    assert job.state == "done", job.error
    manifest = json.loads((job.directory / "manifest.json").read_text())
    assert manifest == job.manifest
    assert manifest["channel_id"] == CHANNEL and manifest["who"] == "exporter"
    assert manifest["purpose"] == "case 42"
    rows = await node.recording.index.segments(CHANNEL, utc(T0 + 70.5), utc(T0 + 190))
    assert [(s["path"], s["sha256"]) for s in manifest["segments"]] == [
        (r.path, r.sha256) for r in rows
    ]
    assert len(rows) == 3

    mp4 = job.directory / manifest["export"]["file"]
    probe = ffprobe(mp4)
    # From the keyframe at 70 s (at or before 70.5) up to 190 s: 120 s, 600 frames at 5 fps.
    assert int(probe["nb_read_packets"]) == 600
    assert float(probe["duration"]) == 120
    with av.open(str(mp4)) as container:
        assert sum(1 for _ in container.decode(video=0)) == 600

    assert await node.playback.verify(SYSTEM, job.id) == []
    edited = node.recording.root / rows[1].path
    data = bytearray(edited.read_bytes())
    data[-100] ^= 0x01
    edited.write_bytes(bytes(data))
    assert await node.playback.verify(SYSTEM, job.id) == [
        f"segment {rows[1].path}: edited (SHA-256 differs from the manifest)"
    ]

    audit = await node.audit.page(SYSTEM, AuditFilter(action="video.export"), None, 10)
    assert [(a.channel_id, a.source) for a in audit] == [(CHANNEL, "127.0.0.9")]


async def test_export_of_an_empty_range_fails_with_the_reason(node: Vigil) -> None:
    await add_channel(node)
    exporter, approval = await export_grant(node, CHANNEL, utc(T0), utc(T0 + 60))
    job = await node.playback.export(exporter, CHANNEL, utc(T0), utc(T0 + 60), "nothing", approval)
    job = await finished(node, job)
    assert job.state == "failed" and job.error == "nothing was recorded in this range"
    assert (job.error_code, job.error_params) == ("export.nothing_recorded", {})  # for the console
