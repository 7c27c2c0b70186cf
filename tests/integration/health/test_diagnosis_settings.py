"""Per-channel diagnosis settings that outlive a restart: threshold overrides through the API
(authorised, audited), the baseline, and a reference view per preset for "scene changed" on a
simulated PTZ camera whose view turns to each preset."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import func, select

from tests.integration.api.helpers import HEFEI_CHANNEL, add_user
from tests.integration.gb28181.conftest import NodeFactory, gb_factory
from tests.integration.gb28181.simulated import Rig, admin_api, start_rig, wait_for
from tests.integration.health.test_intact_rate import seed
from vigil.app import Vigil
from vigil.governance.permissions import SYSTEM
from vigil.health.diagnosis import FaultKind, Finding
from vigil.health.service import AvailabilityService, RoundReport
from vigil.store.models import AuditRecord, ChannelReference, VideoFault

__all__ = ["gb_factory"]

PATH = f"/api/v1/channels/{HEFEI_CHANNEL}/diagnosis-thresholds"


def restarted(node: Vigil) -> AvailabilityService:
    """A second availability service on the same database: what a restarted node builds."""
    return AvailabilityService(
        node.db, node.media.hub, node.channels, node.audit, node.settings.data_dir
    )


async def test_threshold_overrides_are_authorised_audited_and_kept(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    await seed(client, admin, node)
    fresh = await client.get(PATH, headers=admin)
    assert fresh.status_code == 200, fresh.text
    assert fresh.json()["overrides"] == {} and fresh.json()["effective"]["dark_prior"] == 40.0

    body = {"overrides": {"dark_prior": 25, "scene_similarity": 0.35}}
    changed = await client.put(PATH, headers=admin, json=body)
    assert changed.status_code == 200, changed.text
    effective = changed.json()["effective"]
    assert (effective["dark_prior"], effective["scene_similarity"]) == (25.0, 0.35)
    assert effective["bright_prior"] == 210.0  # the rest are the node's defaults
    async with node.db.session() as session:
        record = await session.scalar(
            select(AuditRecord).where(AuditRecord.action == "health.thresholds")
        )
    assert record is not None and record.channel_id == HEFEI_CHANNEL and record.actor == "admin"
    assert '"dark_prior": 25.0' in record.detail

    # A restarted node holds the channel to the same thresholds.
    again = await restarted(node).channel_thresholds(SYSTEM, HEFEI_CHANNEL)
    assert again.overrides == {"dark_prior": 25.0, "scene_similarity": 0.35}
    assert again.effective.dark_prior == 25.0

    for bad in ({"no_such": 1.0}, {"dark_prior": -1.0}):
        refused = await client.put(PATH, headers=admin, json={"overrides": bad})
        assert refused.status_code == 422, refused.text
    assert (await client.get(PATH, headers=admin)).json()["overrides"]["dark_prior"] == 25.0

    viewer = await add_user(client, admin, "threshold-viewer", "viewer", ["3401"])
    assert (await client.get(PATH, headers=viewer)).status_code == 200
    assert (await client.put(PATH, headers=viewer, json=body)).status_code == 403
    outsider = await add_user(client, admin, "threshold-outsider", "viewer", ["3402"])
    assert (await client.get(PATH, headers=outsider)).status_code == 403
    assert (await client.put(PATH, headers=admin, json={"overrides": {}})).json()["overrides"] == {}


@pytest.fixture
async def rig(gb_factory: NodeFactory) -> AsyncIterator[Rig]:
    async for value in start_rig(gb_factory, channels=1):
        yield value


def finding(report: RoundReport, kind: FaultKind) -> Finding:
    return next(f for f in report.findings if f.kind is kind)


async def settled(rig: Rig) -> None:
    """Let the last round's stream end (short linger), so the next one starts on the new view."""
    await wait_for(lambda: not rig.node.media.hub.streams())


async def test_baseline_and_preset_references_survive_a_restart(rig: Rig) -> None:
    (channel,) = rig.channels
    service = rig.node.availability
    first = await service.run_round(channel)
    # No history yet: sharpness is held to the prior (0: nothing is blur).
    assert finding(first, FaultKind.blur).threshold == 0.0
    for _ in range(2):
        await settled(rig)
        assert (await service.run_round(channel)).faults == []

    # Preset 1 is 37° to the right: the platform sends the camera there through the API.
    async for http in admin_api(rig.node):
        for path in ("/presets", "/presets/1/goto"):
            body = {"action": "set", "number": 1} if path == "/presets" else None
            response = await http.post(f"/api/v1/channels/{channel}{path}", json=body)
            assert response.status_code == 204, response.text
    await wait_for(lambda: rig.device.views.get(channel, 0) != 0)
    await settled(rig)
    at_one = await service.run_round(channel)  # the preset's first healthy round: its reference
    assert not finding(at_one, FaultKind.scene_changed).bad

    # Held to the fixed view's reference instead, the same picture is a changed scene.
    await service.at_preset(channel, None)
    await settled(rig)
    wrong = await service.run_round(channel)
    assert finding(wrong, FaultKind.scene_changed).bad
    assert finding(wrong, FaultKind.scene_changed).score < 0.5
    await service.at_preset(channel, 1)

    # Restart: the baseline, preset and both references are read back, not learnt again.
    async with rig.node.db.session() as session:
        stored = await session.scalar(select(func.count()).select_from(ChannelReference))
    assert stored == 2
    await service.stop()
    later = restarted(rig.node)
    await later.start()
    try:
        # The camera is back at its fixed view while the platform holds it at preset 1. Had
        # nothing been stored, this round would judge by priors and take its picture as preset
        # 1's reference; with the store it is held to the stored baseline and reference.
        rig.device.ptz(channel).pan = 0.0
        rig.device.views[channel] = 0
        await settled(rig)
        back = await later.run_round(channel)
        assert finding(back, FaultKind.blur).threshold > 0.0
        assert finding(back, FaultKind.scene_changed).bad
        # Sent to preset 1 again, the camera matches preset 1's stored reference.
        await rig.node.controls.preset(SYSTEM, channel, "call", 1)
        await wait_for(lambda: rig.device.views.get(channel, 0) != 0)
        await settled(rig)
        assert not finding(await later.run_round(channel), FaultKind.scene_changed).bad
    finally:
        await later.stop()
        await service.start()


async def test_an_open_fault_is_not_raised_twice_after_a_restart(rig: Rig) -> None:
    (channel,) = rig.channels
    service = rig.node.availability
    for _ in range(3):
        await service.run_round(channel)
        await settled(rig)
    await rig.device.set_picture(channel, "frozen")
    await settled(rig)
    await service.run_round(channel)
    await settled(rig)
    assert (await service.run_round(channel)).raised == [FaultKind.frozen]
    await service.stop()
    later = restarted(rig.node)
    await later.start()
    try:
        await settled(rig)
        still = await later.run_round(channel)
        assert still.raised == [] and FaultKind.frozen in still.open
        async with rig.node.db.session() as session:
            count = await session.scalar(select(func.count()).select_from(VideoFault))
        assert count == 1
        await rig.device.set_picture(channel, "normal")
        await settled(rig)
        await later.run_round(channel)
        await settled(rig)
        assert (await later.run_round(channel)).cleared == [FaultKind.frozen]
    finally:
        await later.stop()
        await service.start()
