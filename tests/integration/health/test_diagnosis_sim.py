"""A simulated camera's picture switched to frozen, then black: each fault is raised within two
rounds and opens a work order for the maintainer unit; back to normal, it clears and the order
closes. Rounds go through the real path: GB/T 28181 INVITE, PS over RTP, the hub, a worker process.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select, update

from tests.integration.gb28181.conftest import NodeFactory, gb_factory
from tests.integration.gb28181.simulated import Rig, start_rig, wait_for
from vigil.app import Vigil
from vigil.health.diagnosis import FaultKind
from vigil.sim.video import Picture
from vigil.store.models import Channel, VideoFault, WorkOrder

__all__ = ["gb_factory"]

MAINTAINER = "蜀山区视频运维中心"


@pytest.fixture
async def rig(gb_factory: NodeFactory) -> AsyncIterator[Rig]:
    async for value in start_rig(gb_factory, channels=1):
        yield value


async def faults(node: Vigil, channel_id: str) -> list[tuple[VideoFault, WorkOrder]]:
    async with node.db.session() as session:
        rows = await session.execute(
            select(VideoFault, WorkOrder)
            .join(WorkOrder, WorkOrder.fault_id == VideoFault.id)
            .where(VideoFault.channel_id == channel_id)
            .order_by(VideoFault.id)
        )
        return [(fault, order) for fault, order in rows]


async def test_frozen_and_black_are_raised_then_cleared(rig: Rig) -> None:
    node = rig.node
    (channel,) = rig.channels
    async with node.db.session() as session, session.begin():
        await session.execute(
            update(Channel).where(Channel.id == channel).values(maintainer_unit=MAINTAINER)
        )
    service = node.availability
    for _ in range(3):  # the camera's healthy history
        report = await service.run_round(channel)
        assert report.faults == [], [f for f in report.findings if f.bad]

    faulty: tuple[tuple[Picture, FaultKind], ...] = (
        ("frozen", FaultKind.frozen),
        ("black", FaultKind.no_signal),
    )
    for picture, kind in faulty:
        before = len(await faults(node, channel))
        await switch(rig, picture)
        first = await service.run_round(channel)
        assert first.faults == [kind] and first.raised == []
        second = await service.run_round(channel)
        assert second.raised == [kind] and second.open == [kind]
        fault, order = (await faults(node, channel))[-1]
        assert len(await faults(node, channel)) == before + 1
        assert fault.kind == kind.value and fault.closed_at is None
        assert fault.evidence_path is not None
        assert (node.settings.data_dir / fault.evidence_path).read_bytes()[:2] == b"\xff\xd8"
        assert order.assignee == MAINTAINER and order.closed_at is None

        await switch(rig, "normal")
        assert (await service.run_round(channel)).cleared == []
        assert (await service.run_round(channel)).cleared == [kind]
        fault, order = (await faults(node, channel))[-1]
        assert fault.closed_at is not None and order.closed_at == fault.closed_at


async def switch(rig: Rig, picture: Picture) -> None:
    """Switch the camera's picture, and let the previous round's stream end (its linger is short
    here) so that the next round's video is all from after the switch."""
    (channel,) = rig.channels
    await rig.device.set_picture(channel, picture)
    await wait_for(lambda: not rig.node.media.hub.streams())
