"""A lower platform's catalog changes followed by subscription: OFF/ON, UPDATE, DEL, ADD.

Each change is NOTIFYed by the simulated platform inside the catalog subscription the node made
after importing the tree; the test waits for the node's store to show it, and checks that
nothing else in the tree moved.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tests.integration.cascade.lower_rig import LowerRig, lower_rig, wait_for
from vigil.bus import CatalogChanged, Event
from vigil.protocols.manscdp import CatalogItem
from vigil.sim.catalog import make_channels
from vigil.sim.platform_tree import TreeChannel


def _group_with_nested(rig: LowerRig) -> tuple[str, str]:
    """A virtual organisation that has another one inside it: (outer, inner)."""
    for node_id, item in rig.sim.tree.nodes.items():
        if node_id[10:13] == "216" and item.parent_id and item.parent_id[10:13] == "216":
            return item.parent_id, node_id
    raise AssertionError("the simulated tree has no nested virtual organisation")


async def test_status_update_delete_and_add_are_applied(tmp_path: Path, database_url: str) -> None:
    async with lower_rig(tmp_path, database_url) as rig:
        sim = rig.sim
        before = await rig.stored()
        group_events: list[str] = []

        async def on_group_event(event: Event) -> None:
            assert isinstance(event, CatalogChanged)
            group_events.append(event.id)

        rig.node.bus.subscribe("catalog.virtual_group.*", on_group_event)
        channel = next(iter(sim.tree.placed))
        assert before.channels[channel].status == "online"

        # OFF, then ON again.
        assert await sim.notify("OFF", [channel]) == 1

        async def status_is(value: str) -> bool:
            return bool((await rig.stored()).channels[channel].status == value)

        await wait_for(lambda: status_is("offline"))
        assert await sim.notify("ON", [channel]) == 1
        await wait_for(lambda: status_is("online"))

        # UPDATE: a renamed channel keeps its place.
        placed = sim.tree.placed[channel]
        sim.tree.add(replace(placed, channel=replace(placed.channel, name="改名的摄像机")))
        assert await sim.notify("UPDATE", [channel]) == 1

        async def renamed() -> bool:
            return bool((await rig.stored()).channels[channel].name == "改名的摄像机")

        await wait_for(renamed)
        after = await rig.stored()
        assert after.channels[channel].device_id == before.channels[channel].device_id
        assert after.members[channel] == before.members[channel]

        # DEL of a group removes its subtree: the nested group and the channels in either.
        outer, inner = _group_with_nested(rig)
        inside = {c for c, groups in before.members.items() if groups & {outer, inner}}
        assert inside, "the simulated tree puts channels in nested groups"
        assert await sim.notify("DEL", [outer]) == 1

        async def subtree_gone() -> bool:
            stored = await rig.stored()
            return outer not in stored.groups and inner not in stored.groups

        await wait_for(subtree_gone)

        async def told() -> bool:
            return outer in group_events  # consoles are told to read the groups again

        await wait_for(told)
        stored = await rig.stored()
        assert not inside & set(stored.channels)
        assert set(stored.groups) == set(before.groups) - {outer, inner}
        assert set(stored.channels) == set(before.channels) - inside

        # ADD a new virtual organisation under a business group, and a channel in it.
        business = next(g for g in stored.groups if g[10:13] == "215")
        group_id = f"{business[:10]}216{business[13]}000099"
        sim.tree.add(sim.tree.group(group_id, "新增虚拟组织", business))
        nvr = next(d for d in stored.devices if d[10:13] == "118")
        (camera,) = make_channels(f"{nvr[:14]}000077", 1)
        new_channel = sim.tree.add(TreeChannel(camera, device_id=nvr, group_id=group_id))
        assert await sim.notify("ADD", [group_id, new_channel]) == 1

        async def added() -> bool:
            return new_channel in (await rig.stored()).channels

        await wait_for(added)
        stored = await rig.stored()
        assert stored.groups[group_id].parent_id == business
        assert stored.channels[new_channel].device_id == nvr
        assert stored.members[new_channel] == {group_id}

        # A DEL naming something the platform never sent changes nothing.
        count = len(stored.channels)
        assert await sim.send_notify([CatalogItem(device_id="34010400001320099999", event="DEL")])
        assert len((await rig.stored()).channels) == count
