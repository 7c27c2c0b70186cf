"""Privacy masks on recorded video: an export's MP4 and a playback's fMP4 show the masked region
blurred unless the caller gives an approved unmask request of their own; the export manifest
says which. Busy synthetic video is recorded for real, read back and decoded with PyAV. Runs on
SQLite and PostgreSQL."""

from __future__ import annotations

import json

import av
import numpy as np
import pytest

from tests.integration.media.approval_grants import export_grant, principal_of
from tests.integration.media.live_support import decode
from tests.integration.media.recording_synthetic import T0, feed
from tests.integration.media.test_recording_export import CHANNEL, KEY, add_channel, finished
from tests.textured_video import BUSY, LEFT_HALF, camera, halves
from vigil.app import Vigil
from vigil.errors import Forbidden
from vigil.governance.approval_rules import ApprovalKind
from vigil.governance.approvals import ApprovalRequest
from vigil.governance.audited import Caller
from vigil.governance.masks import MaskPolygon
from vigil.governance.permissions import SYSTEM, Principal
from vigil.media.masking.caption import caption_band
from vigil.media.packet import Codec
from vigil.media.playback.player import Player
from vigil.media.recording.index import utc

SPAN = (utc(T0), utc(T0 + 20))
PURPOSE = "identify the van in case 9"


async def recorded_with_mask(node: Vigil) -> None:
    await add_channel(node)
    await (await node.recording.record(KEY, feed(iter(camera(Codec.H264, 200, T0)))))
    await node.masks.replace(SYSTEM, CHANNEL, [MaskPolygon("window", LEFT_HALF)])


async def unmask_grant(node: Vigil, asker: Principal) -> int:
    chief = await principal_of(node, "chief")
    asked = ApprovalRequest(ApprovalKind.unmask, CHANNEL, PURPOSE, "case 9", None, None)
    request = await node.approvals.request(asker, asked)
    await node.approvals.approve(chief, request.id, None)
    return request.id


def exported_lumas(path: str) -> list[np.ndarray]:
    with av.open(path) as container:
        return [
            np.asarray(f.to_ndarray(format="gray"), np.uint8) for f in container.decode(video=0)
        ]


async def export(
    node: Vigil, who: Principal, approval: int, unmask: int | None
) -> tuple[dict[str, object], list[np.ndarray]]:
    caller = Caller(who, "127.0.0.9").for_purpose(PURPOSE)
    job = await node.playback.export(caller, CHANNEL, *SPAN, PURPOSE, approval, unmask)
    job = await finished(node, job)
    assert job.state == "done", job.error
    assert job.file is not None and job.manifest is not None
    return job.manifest, exported_lumas(str(job.directory / job.file))


async def test_an_export_is_masked_unless_unmasked_under_approval(node: Vigil) -> None:
    await recorded_with_mask(node)
    exporter, approval = await export_grant(node, CHANNEL, *SPAN)

    manifest, lumas = await export(node, exporter, approval, None)
    assert manifest["privacy"] == {
        "masks": 1,
        "unmask_approval": None,
        "watermark": None,
        "anonymised": [],
    }
    assert len(lumas) >= 150
    for luma in lumas[:: len(lumas) // 10]:
        masked, clear = halves(luma)
        assert clear > BUSY and masked < clear / 20, (masked, clear)

    with pytest.raises(Forbidden) as refused:
        await export(node, exporter, approval, 12345)
    assert refused.value.code == "approval.required"
    unmask = await unmask_grant(node, exporter)
    manifest, lumas = await export(node, exporter, approval, unmask)
    assert manifest["privacy"] == {
        "masks": 0,
        "unmask_approval": unmask,
        "watermark": None,
        "anonymised": [],
    }
    left, right = halves(lumas[len(lumas) // 2])
    assert left > BUSY and right > BUSY


async def test_a_playback_is_masked_for_its_viewer(node: Vigil) -> None:
    await recorded_with_mask(node)
    viewer = await principal_of(node, "viewer-1")
    caller = Caller(viewer, "127.0.0.9").for_purpose(PURPOSE)
    opened, _ = await node.playback.open_playback(caller, CHANNEL, *SPAN, 8.0)
    assert len(opened.masks) == 1
    unmask = await unmask_grant(node, viewer)
    clear, session = await node.playback.open_playback(caller, CHANNEL, *SPAN, 8.0, unmask)
    assert clear.masks == () and session.view.unmasked

    for request, masked_expected in ((opened, True), (clear, False)):
        sent: list[bytes] = []

        async def send(message: str | bytes, into: list[bytes] = sent) -> None:
            if isinstance(message, bytes):
                into.append(message)
            elif json.loads(message)["type"] == "end":
                raise EOFError

        player = Player(
            request.segments,
            request.start.timestamp(),
            request.end.timestamp(),
            8.0,
            lead=60.0,
            masks=request.masks,
        )
        with pytest.raises(EOFError):  # the player sent the end of the range
            await player.run(send)
        frames = decode(b"".join(sent))
        assert len(frames) >= 150
        middle = frames[len(frames) // 2].to_ndarray(format="gray")
        left, right = halves(np.asarray(middle, np.uint8))
        assert right > BUSY
        assert (left < right / 20) is masked_expected, (left, right)


async def test_a_sensitive_channels_export_carries_a_burnt_in_watermark(node: Vigil) -> None:
    await add_channel(node)
    await (await node.recording.record(KEY, feed(iter(camera(Codec.H264, 200, T0)))))
    exporter, approval = await export_grant(node, CHANNEL, *SPAN)
    plain_manifest, plain = await export(node, exporter, approval, None)
    assert plain_manifest["privacy"] == {
        "masks": 0,
        "unmask_approval": None,
        "watermark": None,
        "anonymised": [],
    }

    # Sensitivity 1 reaches the node's default watermark threshold (VIGIL_EXPORT_WATERMARK_...).
    await node.access_policy_admin.set_sensitivity(SYSTEM, CHANNEL, 1)
    assert exporter.user_id is not None
    await node.access_policy_admin.set_clearance(SYSTEM, exporter.user_id, 1)
    manifest, marked = await export(node, exporter, approval, None)
    privacy = manifest["privacy"]
    assert isinstance(privacy, dict)
    caption = privacy["watermark"]
    assert caption.startswith(f"VIGIL EXPORT exporter #{exporter.user_id}\n")
    assert caption.endswith("Z case case 7")
    assert len(marked) == len(plain)
    height, width = plain[0].shape
    left, top, right, bottom = caption_band(width, height, caption)
    band = np.zeros(plain[0].shape, bool)
    band[top:bottom, left:right] = True
    for before, after in zip(plain[::40], marked[::40], strict=True):
        # The busy picture stays below 225 (checks of 0/160 plus noise up to 60); the caption's
        # strokes are drawn at 235, so only the caption's band has brighter pixels.
        assert float((before[band] > 228).mean()) < 0.005
        assert float((after[band] > 228).mean()) > 0.05
        assert float((after[~band] > 228).mean()) < 0.005
