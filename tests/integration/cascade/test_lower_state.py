"""A lower platform's live state: it goes offline when its keepalives stop and comes back with
them (the node's keepalive timeout here is 1 s × 2), its address follows a NAT rebinding, and a
request it refuses counts as a failure against it."""

from __future__ import annotations

from pathlib import Path

from tests.integration.cascade.lower_rig import PLATFORM_ID, lower_rig, wait_for
from vigil.governance.permissions import SYSTEM


async def test_offline_online_and_failures(tmp_path: Path, database_url: str) -> None:
    async with lower_rig(tmp_path, database_url) as rig:
        node, sim = rig.node, rig.sim
        service = node.lower_platforms

        async def online(expected: bool) -> bool:
            (state,) = await service.all(SYSTEM)
            return state.online is expected

        assert await online(True)
        sim.pause_keepalives()
        await wait_for(lambda: online(False))
        sim.resume_keepalives()
        await wait_for(lambda: online(True))

        host, port = await sim.move_to("127.0.0.2")

        async def moved() -> bool:
            (state,) = await service.all(SYSTEM)
            return (state.host, state.port, state.online) == (host, port, True)

        await wait_for(moved)  # the next keepalive comes from the new address

        (before,) = await service.all(SYSTEM)
        failures = before.counters.failures
        # A MESSAGE for an ID the platform does not hold: it answers 404.
        response = await node.gb.request(PLATFORM_ID, "MESSAGE", target_id="34010400001329999999")
        assert response.status == 404
        (after,) = await service.all(SYSTEM)
        assert after.counters.failures == failures + 1
        assert after.counters.requests == before.counters.requests + 1
