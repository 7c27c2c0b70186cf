"""PTZ not responding, on a simulated dome camera through the real path: PTZ commands as GB/T 28181
DeviceControl MESSAGEs, video as PS over RTP into the hub, the comparison in the worker process.

The simulator turns its synthetic view with its pan (``SimDevice`` follows each PTZ command), and
``set_ptz_responding(channel, False)`` makes it accept PTZ commands without moving: the fault.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select, update

from tests.integration.gb28181.conftest import NodeFactory, gb_factory
from tests.integration.gb28181.simulated import Rig, start_rig
from vigil.health.diagnosis import FaultKind
from vigil.health.ptz_check import PtzPlan
from vigil.protocols.ptz import Motion, Pan
from vigil.store.models import AuditRecord, Channel, VideoFault, WorkOrder

__all__ = ["gb_factory"]

MAINTAINER = "蜀山区视频运维中心"


@pytest.fixture
async def rig(gb_factory: NodeFactory) -> AsyncIterator[Rig]:
    async for value in start_rig(gb_factory, channels=1):
        node = value.node
        async with node.db.session() as session, session.begin():
            await session.execute(
                update(Channel).values(ptz_type=1, maintainer_unit=MAINTAINER)  # a dome
            )
        node.availability.ptz_plan = PtzPlan(hold=0.1, settle=0.5)
        yield value


async def test_a_pan_moves_the_picture_and_returns(rig: Rig) -> None:
    (channel,) = rig.channels
    report = await rig.node.availability.run_ptz_check(channel)
    assert report.moved is True and report.similarity is not None
    assert report.similarity < report.threshold
    assert (report.raised, report.open) == (False, False)
    ptz = rig.device.ptz(channel)
    # right, stop, left, stop: sent, and the camera is back where it was
    pans = [c.pan for c in ptz.commands if isinstance(c, Motion)]
    assert pans == [Pan.RIGHT, Pan.NONE, Pan.LEFT, Pan.NONE]
    assert ptz.pan == 0.0 and rig.device.views.get(channel, 0) == 0
    async with rig.node.db.session() as session:
        moves = list(
            await session.scalars(
                select(AuditRecord).where(
                    AuditRecord.action == "device.ptz", AuditRecord.channel_id == channel
                )
            )
        )
    assert [(r.actor, json.loads(r.detail)["action"]) for r in moves] == [
        ("system", "right"), ("system", "stop"), ("system", "left"), ("system", "stop"),
    ]  # fmt: skip


async def test_a_stuck_ptz_raises_within_two_checks_and_clears(rig: Rig) -> None:
    (channel,) = rig.channels
    service = rig.node.availability
    rig.device.set_ptz_responding(channel, False)
    first = await service.run_ptz_check(channel)
    assert first.moved is False and first.similarity is not None
    assert first.similarity >= first.threshold and not first.raised
    second = await service.run_ptz_check(channel)
    assert second.raised and second.open
    async with rig.node.db.session() as session:
        fault, order = (
            await session.execute(
                select(VideoFault, WorkOrder).join(WorkOrder, WorkOrder.fault_id == VideoFault.id)
            )
        ).one()
    assert fault.kind == FaultKind.ptz_not_responding.value and fault.closed_at is None
    assert (rig.node.settings.data_dir / str(fault.evidence_path)).read_bytes()[:2] == b"\xff\xd8"
    assert order.assignee == MAINTAINER
    # A picture round does not clear it: only PTZ checks judge PTZ.
    assert FaultKind.ptz_not_responding not in (await service.run_round(channel)).cleared

    rig.device.set_ptz_responding(channel, True)
    assert not (await service.run_ptz_check(channel)).cleared
    last = await service.run_ptz_check(channel)
    assert last.cleared and last.moved and not last.open
    async with rig.node.db.session() as session:
        assert (await session.get(VideoFault, fault.id)).closed_at is not None  # type: ignore[union-attr]
