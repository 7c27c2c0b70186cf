"""A simulated lower platform's catalog tree, imported with its structure intact (2016 and 2022).

The expected parent of every node is read from the items the platform sent, with the rules of
the standard (``ParentID`` parts, ``BusinessGroupID``), and compared with what the node stored:
virtual group parent links, each channel's device (an NVR behind the platform, or the platform)
and its group membership, and the civil-code nodes as regions; cameras land under the regions
their civil codes name, named as the platform sent them or by their codes.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.integration.cascade.lower_rig import PLATFORM_ID, lower_rig, wait_for
from tests.integration.gb28181.simulated import admin_api
from vigil.protocols.manscdp import CatalogItem
from vigil.sim.catalog import make_channels
from vigil.sim.platform_tree import TreeChannel, make_tree
from vigil.store.models import Organisation, VirtualGroupKind


def _type(node_id: str) -> str:
    return node_id[10:13] if len(node_id) == 20 else "civil"


def _expected(
    items: list[CatalogItem],
) -> tuple[dict[str, str | None], dict[str, tuple[str, set[str]]]]:
    """What the sent items say: each group's parent; each channel's device and groups."""
    sent = {i.device_id: i for i in items}
    groups: dict[str, str | None] = {}
    channels: dict[str, tuple[str, set[str]]] = {}
    for item in items:
        parts = [p for p in (item.parent_id or "").split("/") if p]
        kind = _type(item.device_id)
        if kind == "215":
            groups[item.device_id] = None
        elif kind == "216":
            business = item.business_group_id or (item.info and item.info.business_group_id)
            named = [p for p in [*parts, business] if p in sent and _type(p) in ("215", "216")]
            groups[item.device_id] = named[0]
        elif kind == "132":
            nvrs = [p for p in parts if p in sent and _type(p) == "118"]
            member = {p for p in parts if _type(p) in ("215", "216")}
            channels[item.device_id] = (nvrs[0] if nvrs else PLATFORM_ID, member)
    return groups, channels


@pytest.mark.parametrize(("edition", "transport"), [("2016", "udp"), ("2022", "tcp")])
async def test_tree_is_imported_with_its_parent_links(
    tmp_path: Path, database_url: str, edition: str, transport: str
) -> None:
    async with lower_rig(tmp_path, database_url, edition=edition, transport=transport) as rig:
        sent = rig.sim.tree.items()
        groups, channels = _expected(sent)
        stored = await rig.stored()

        platform = stored.platform
        assert platform.host == "127.0.0.1" and platform.port == rig.sim.address[1]
        assert platform.transport == transport and platform.domain == PLATFORM_ID[:10]

        assert len(groups) == 8
        assert {g: stored.groups[g].parent_id for g in groups} == groups
        assert {g.kind for g in stored.groups.values()} == set(VirtualGroupKind)
        nested = [g for g, parent in groups.items() if parent and _type(parent) == "216"]
        assert len(nested) == 2  # a virtual organisation inside another survives

        nvrs = [i.device_id for i in sent if _type(i.device_id) == "118"]
        assert set(stored.devices) == {PLATFORM_ID, *nvrs}
        assert len(channels) == len(rig.sim.channels) == 7
        got = {c: (stored.channels[c].device_id, stored.members[c]) for c in channels}
        assert got == channels
        assert any(members for _, members in channels.values())  # some channels are grouped

        # The civil-code nodes became regions, and the channel under the unit is filed there.
        async with rig.node.db.session() as session:
            regions = {
                o.id: o.parent_id
                for o in (
                    await session.scalars(
                        select(Organisation).where(Organisation.id.in_(["340104", "34010401"]))
                    )
                ).all()
            }
        assert regions == {"340104": None, "34010401": "340104"}
        loose = next(c for c in sent if c.parent_id == "34010401")
        assert stored.channels[loose.device_id].organisation_id == "34010401"
        assert stored.channels[loose.device_id].device_id == PLATFORM_ID


@pytest.mark.parametrize("edition", ["2016", "2022"])
async def test_channels_land_under_their_regions_named_as_sent(
    tmp_path: Path, database_url: str, edition: str
) -> None:
    """Beside the simulator's tree: a camera behind the NVR whose ``CivilCode`` names a code the
    platform sent no item for, and one hanging on that code. Both land under a region named by
    its code, beneath the district the platform named; an item naming it later renames it. The
    API's tree lists the regions the platform's cameras are under, with their names."""
    tree = make_tree(PLATFORM_ID, edition=edition)
    district, unsent = PLATFORM_ID[:6], f"{PLATFORM_ID[:6]}02"
    nvr = next(n for n in tree.nodes if n[10:13] == "118")
    behind, hanging = make_channels(f"{nvr[:14]}000088", 2)
    tree.add(TreeChannel(behind, device_id=nvr, region=unsent))
    tree.add(TreeChannel(hanging, region=unsent))
    async with lower_rig(tmp_path, database_url, tree=tree, edition=edition) as rig:
        stored = await rig.stored()
        for camera in (behind, hanging):
            assert stored.channels[camera.channel_id].organisation_id == unsent
        assert stored.channels[behind.channel_id].device_id == nvr

        async with asynccontextmanager(admin_api)(rig.node) as http:
            url = f"/api/v1/lower-platforms/{stored.platform.id}"
            body = (await http.get(url)).json()
            regions = {r["id"]: (r["name"], r["parent_id"]) for r in body["tree_regions"]}
            assert regions[district] == (f"区县 {district}", None)
            assert regions[f"{district}01"] == (f"单位 {district}01", district)
            assert regions[unsent] == (unsent, district)  # no item named it: its code
            filed = {c["organisation_id"] for c in body["tree_channels"]}
            assert filed <= set(regions) and None not in filed  # every camera under a region

            # The platform names the code later: the region takes the name.
            named = CatalogItem(device_id=unsent, name=f"单位 {unsent}", parent_id=district)
            rig.sim.tree.add(named)
            assert await rig.sim.notify("ADD", [unsent]) == 1

            async def renamed() -> bool:
                listed = (await http.get(url)).json()["tree_regions"]
                return {r["id"]: r["name"] for r in listed}.get(unsent) == f"单位 {unsent}"

            await wait_for(renamed)
