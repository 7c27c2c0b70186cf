"""A lower platform's live state: it goes offline when its keepalives stop and comes back with
them (the node's keepalive timeout here is 1 s × 3), its address follows a NAT rebinding once it
registers again (keepalives from the new address are refused), and a
request it refuses counts as a failure against it."""

from __future__ import annotations

from collections.abc import Awaitable
from pathlib import Path

from tests.integration.cascade.lower_rig import PLATFORM_ID, lower_rig, wait_for
from vigil.governance.permissions import SYSTEM


async def test_offline_online_and_failures(tmp_path: Path, database_url: str) -> None:
    # Presence is the subject here: offline after three missed 1 s keepalives, as a node is set
    # (not two: a loaded machine delays two keepalives now and then, CI saw that flap once).
    async with lower_rig(tmp_path, database_url, keepalive_missed=3) as rig:
        node, sim = rig.node, rig.sim
        service = node.lower_platforms

        async def online(expected: bool) -> bool:
            (state,) = await service.all(SYSTEM)
            return state.online is expected

        async def nvrs_online() -> set[bool]:
            stored = await rig.stored()
            return {d.online for i, d in stored.devices.items() if i != PLATFORM_ID}

        # The start: online, and so are the NVRs behind it (once the catalog was read, which after
        # a flap at start-up is read a second time).
        await wait_for(lambda: online(True))
        await wait_for(lambda: _is(nvrs_online(), {True}))
        queries = sum(type(m).__name__ == "CatalogQuery" for m in sim.received)
        sim.pause_keepalives()
        await wait_for(lambda: online(False))
        # Out of reach: the NVRs behind it too, and its subscriptions are gone.
        await wait_for(lambda: _is(nvrs_online(), {False}))
        assert len(node.gb.subscriptions) == 0
        sim.resume_keepalives()
        await wait_for(lambda: online(True))
        # Back by keepalive alone: its catalog is read again and followed again.
        await wait_for(lambda: _is(nvrs_online(), {True}))
        assert sum(type(m).__name__ == "CatalogQuery" for m in sim.received) == queries + 1

        async def subscribed() -> bool:
            return len(node.gb.subscriptions) >= 1

        await wait_for(subscribed)

        host, port = await sim.move_to("127.0.0.2")

        async def moved() -> bool:
            (state,) = await service.all(SYSTEM)
            return (state.host, state.port, state.online) == (host, port, True)

        # Keepalives from the new address are refused (403) until it registers again, with digest.
        await wait_for(moved)

        (before,) = await service.all(SYSTEM)
        failures = before.counters.failures
        # A MESSAGE for an ID the platform does not hold: it answers 404.
        response = await node.gb.request(PLATFORM_ID, "MESSAGE", target_id="34010400001329999999")
        assert response.status == 404
        (after,) = await service.all(SYSTEM)
        assert after.counters.failures == failures + 1
        assert after.counters.requests == before.counters.requests + 1


async def _is(value: Awaitable[set[bool]], expected: set[bool]) -> bool:
    return await value == expected
