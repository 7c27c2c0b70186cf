"""Anonymised exports: a real face (scikit-image's astronaut) moving across a recorded clip is
blurred in every picture of the exported MP4 — where the real face detector finds it in the
original picture, and where it truly is — while the picture away from it is the recording's,
re-encoded. Through the service and through the API; the manifest and the audit record name the
model and its hash; an export asking for what the node cannot find is refused. Recorded for
real, decoded with PyAV; runs on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import json

import httpx
import numpy as np
import pytest

from tests import face_clip
from tests.integration.media import export_jobs
from tests.integration.media.approval_grants import export_grant
from tests.integration.media.recording_synthetic import T0, feed
from tests.integration.media.test_recording_api import approved_export
from tests.integration.media.test_recording_export import CHANNEL, KEY, add_channel, finished
from vigil.analytics.faces.detector import FaceDetector
from vigil.analytics.faces.model import packaged_model
from vigil.app import Vigil
from vigil.errors import Invalid
from vigil.governance.audit import AuditFilter
from vigil.governance.audited import Caller
from vigil.governance.permissions import SYSTEM
from vigil.media.recording.index import utc

SPAN = (utc(T0), utc(T0 + face_clip.FRAMES / face_clip.FPS))
PURPOSE = "publication of the incident"


async def recorded(node: Vigil) -> None:
    await add_channel(node)
    await (await node.recording.record(KEY, feed(iter(face_clip.camera(T0)))))


def assert_faces_blurred(lumas: list[np.ndarray], detected: bool) -> None:
    """Every face region of each original picture is blurred in the exported one: where it truly
    is, and (``detected``) every box the detector finds in the original picture."""
    assert len(lumas) == face_clip.FRAMES
    detector = FaceDetector() if detected else None
    source = face_clip.recorded_lumas()
    for index, (luma, truth) in enumerate(zip(lumas, face_clip.face_boxes(), strict=True)):
        regions = [truth]
        if detector is not None:
            found = detector(face_clip.pictures()[index])
            assert found, f"picture {index}: the detector finds the face in the original"
            regions += found
        for box in regions:
            before, after = (face_clip.sharpness(p, box) for p in (source[index], luma))
            assert before > 300 and after < before / 50, (index, box, before, after)
        # Away from the face: the recording's picture, but for the re-encoding's small loss.
        x1, y1, x2, y2 = face_clip.CLEAR
        clear = (slice(y1, y2), slice(x1, x2))
        change = np.abs(luma[clear].astype(np.int16) - source[index][clear]).mean()
        assert change < 4, (index, change)
        kept = face_clip.sharpness(luma, face_clip.CLEAR)
        assert kept > 0.6 * face_clip.sharpness(source[index], face_clip.CLEAR), index


async def test_an_anonymised_export_blurs_every_face_in_every_picture(node: Vigil) -> None:
    await recorded(node)
    exporter, approval = await export_grant(node, CHANNEL, *SPAN)
    caller = Caller(exporter, "127.0.0.9").for_purpose(PURPOSE)
    job = await node.playback.export(
        caller, CHANNEL, *SPAN, PURPOSE, approval, anonymise=["faces", "faces"]
    )
    assert job.anonymise == ["faces"]
    job = await finished(node, job)
    assert job.state == "done", job.error
    assert job.file is not None and job.manifest is not None
    assert_faces_blurred(face_clip.mp4_lumas(str(job.directory / job.file)), detected=True)

    path, name = packaged_model()
    sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    assert job.manifest["privacy"] == {
        "masks": 0,
        "unmask_approval": None,
        "watermark": None,
        "anonymised": [
            {
                "kind": "faces",
                "model": name,
                "sha256": sha256,
                "pictures": face_clip.FRAMES,
                "regions": face_clip.FRAMES,
            }
        ],
    }
    (record,) = await node.audit.page(SYSTEM, AuditFilter(action="video.export"), None, 10)
    detail = json.loads(record.detail)
    assert detail["anonymise"] == {"faces": {"model": name, "sha256": sha256}}


async def test_an_export_cannot_anonymise_what_the_node_has_no_finder_for(node: Vigil) -> None:
    # Refused before anything else is looked at: no channel, recording or approval needed.
    for kind in ("eyes", "hands"):
        with pytest.raises(Invalid) as refused:
            await node.playback.export(
                SYSTEM, CHANNEL, *SPAN, PURPOSE, None, anonymise=["faces", kind]
            )
        assert (refused.value.code, refused.value.params) == (
            "export.anonymise_unavailable",
            {"field": "anonymise", "kind": kind},
        )


async def test_the_api_exports_anonymised_and_refuses_what_it_cannot(
    node: Vigil, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await recorded(node)
    start, end = (t.isoformat() for t in SPAN)
    approval = await approved_export(client, admin, start, end)
    body = {"start": start, "end": end, "purpose": PURPOSE, "approval_id": approval}
    exports = f"/api/v1/channels/{CHANNEL}/exports"

    plates = await client.post(exports, headers=admin, json=body | {"anonymise": ["plates"]})
    assert plates.status_code == 202, plates.text  # the node has a plate finder
    done = await export_jobs.finished(client, admin, plates.json()["id"])
    assert done["state"] == "done", done
    manifest = (await client.get(f"/api/v1/exports/{done['id']}/manifest", headers=admin)).json()
    (plate_finder,) = manifest["privacy"]["anonymised"]
    assert plate_finder["kind"] == "plates" and plate_finder["model"] == "clp_det.onnx"
    assert plate_finder["regions"] == 0  # the face clip shows no plate
    eyes = await client.post(exports, headers=admin, json=body | {"anonymise": ["eyes"]})
    assert eyes.status_code == 422, eyes.text  # not a kind at all: the schema refuses it

    started = await client.post(exports, headers=admin, json=body | {"anonymise": ["faces"]})
    assert started.status_code == 202, started.text
    job = started.json()
    assert job["anonymise"] == ["faces"]
    status = await export_jobs.finished(client, admin, job["id"])
    assert status["state"] == "done", status
    manifest = (await client.get(f"/api/v1/exports/{job['id']}/manifest", headers=admin)).json()
    assert [a["kind"] for a in manifest["privacy"]["anonymised"]] == ["faces"]
    video = await client.get(f"/api/v1/exports/{job['id']}/video", headers=admin)
    assert video.status_code == 200
    saved = node.settings.data_dir / "downloaded.mp4"
    saved.write_bytes(video.content)
    assert_faces_blurred(face_clip.mp4_lumas(str(saved)), detected=False)
