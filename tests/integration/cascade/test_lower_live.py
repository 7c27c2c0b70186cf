"""A lower platform's channels are used like local ones: live video and PTZ through GB code.

The channel sits behind an NVR the platform manages; the node's INVITE must go to the
platform's address with the channel's ID in the request URI (the simulated platform answers
only for channels of its tree), the video must decode with PyAV, PTZ must reach the platform for
that channel, and the platform's counters must show the requests and the stream.
"""

from __future__ import annotations

from pathlib import Path

from tests.integration.cascade.lower_rig import PLATFORM_ID, lower_rig, wait_for
from tests.integration.gb28181.simulated import decode, take
from vigil.governance.audited import Caller
from vigil.governance.permissions import SYSTEM
from vigil.media.packet import StreamKey
from vigil.sim.platform import SimPlatform


async def test_live_and_ptz_from_a_channel_behind_an_nvr(tmp_path: Path, database_url: str) -> None:
    async with lower_rig(tmp_path, database_url) as rig:
        node, sim = rig.node, rig.sim
        stored = await rig.stored()
        channel = next(c for c, row in stored.channels.items() if row.device_id != PLATFORM_ID)
        nvr = stored.channels[channel].device_id
        assert nvr[10:13] == "118" and node.gb.lower.route(nvr) == PLATFORM_ID
        counters = node.gb.lower.counters[PLATFORM_ID]
        requests_before = counters.requests

        subscription = await node.media.hub.subscribe(StreamKey(channel))
        try:
            packets = await take(subscription, 30)
            assert packets[0].keyframe
            assert decode(packets) >= 25
            (call,) = sim.calls.active.values()
            assert call.channel_id == channel
            assert counters.streams == 1
        finally:
            subscription.close()
        await wait_for_calls_gone(sim)

        await node.controls.ptz(Caller(SYSTEM, "127.0.0.1"), channel, "right", 5)

        async def moved() -> bool:
            return bool(sim.ptz(channel).commands)

        await wait_for(moved)
        assert counters.requests >= requests_before + 3  # INVITE, BYE, PTZ MESSAGE
        assert counters.failures == 0


async def wait_for_calls_gone(sim: SimPlatform) -> None:
    async def gone() -> bool:
        return not sim.calls.active

    await wait_for(gone)
