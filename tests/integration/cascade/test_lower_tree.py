"""A simulated lower platform's catalog tree, imported with its structure intact (2016 and 2022).

The expected parent of every node is read from the items the platform sent, with the rules of
the standard (``ParentID`` parts, ``BusinessGroupID``), and compared with what the node stored:
virtual group parent links, each channel's device (an NVR behind the platform, or the platform)
and its group membership, and the civil-code nodes as regions.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from tests.integration.cascade.lower_rig import PLATFORM_ID, lower_rig
from vigil.protocols.manscdp import CatalogItem
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
