"""A picture fault that diagnosis raises on a simulated camera becomes an availability alarm with
the fault's evidence as its snapshot. Rounds go through the real path (GB/T 28181 INVITE, PS over
RTP, the hub, a worker process)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from tests.integration.gb28181.conftest import NodeFactory
from tests.integration.gb28181.simulated import Rig, start_rig, wait_for
from vigil.alarms import AlarmFilter
from vigil.governance.permissions import SYSTEM
from vigil.store.models import VideoFault


@pytest.fixture
async def rig(gb_factory: NodeFactory) -> AsyncIterator[Rig]:
    async for value in start_rig(gb_factory, channels=1):
        yield value


async def test_a_raised_fault_raises_an_alarm(rig: Rig) -> None:
    node = rig.node
    (channel,) = rig.channels
    for _ in range(3):  # the camera's healthy history
        assert (await node.availability.run_round(channel)).faults == []
    assert await node.alarms.page(SYSTEM, AlarmFilter(), None, 10) == []
    await rig.device.set_picture(channel, "frozen")
    await wait_for(lambda: not node.media.hub.streams())
    raised: list[str] = []
    for _ in range(2):
        raised += (await node.availability.run_round(channel)).raised
    assert raised == ["frozen"]
    async with node.db.session() as session:
        fault = await session.scalar(select(VideoFault).where(VideoFault.channel_id == channel))
    assert fault is not None
    (alarm,) = await node.alarms.page(SYSTEM, AlarmFilter(source="availability"), None, 10)
    assert alarm.kind == "fault.frozen" and alarm.channel_id == channel
    assert alarm.detail == {"fault_id": fault.id}
    assert fault.evidence_path is not None and alarm.snapshot_path == fault.evidence_path
    assert alarm.at == fault.opened_at
