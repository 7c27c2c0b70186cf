"""Playback of a lower platform's channel through the existing GB code: the recording search
(RecordInfo) for a channel behind an NVR is answered by the platform and assembled, and a
playback INVITE reaches the platform for that channel as a Playback session."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.integration.cascade.lower_rig import PLATFORM_ID, lower_rig, wait_for
from vigil.governance.permissions import SYSTEM
from vigil.media.packet import StreamKey
from vigil.protocols.sdp import SessionKind


async def test_record_search_and_playback_invite_through_the_platform(
    tmp_path: Path, database_url: str
) -> None:
    async with lower_rig(tmp_path, database_url) as rig:
        node, sim = rig.node, rig.sim
        stored = await rig.stored()
        channel = next(c for c, row in stored.channels.items() if row.device_id != PLATFORM_ID)
        nvr = stored.channels[channel].device_id
        end = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
        start = end - timedelta(hours=3)

        items = await node.controls.records(SYSTEM, channel, start, end)
        assert items and all(i.device_id in (None, channel) for i in items)

        t0 = int((end - timedelta(hours=1)).timestamp())
        call = await node.gb_media.call(
            StreamKey(channel), nvr, kind="playback", start=t0, stop=t0 + 2
        )
        try:
            (answered,) = sim.calls.active.values()
            assert answered.channel_id == channel
            assert answered.plan.kind is SessionKind.PLAYBACK
        finally:
            await call.close()

        async def hung_up() -> bool:
            return not sim.calls.active

        await wait_for(hung_up)
        assert node.gb.lower.counters[PLATFORM_ID].streams == 1
