"""What an upper platform may see, resolved from its share entries: organisation subtrees as
nodes with their channels, virtual groups with their path and descendants, outward IDs that
replace a channel's own, and share_all bounded by the creator's scope."""

from __future__ import annotations

import pytest

from vigil.app import Vigil
from vigil.errors import Invalid
from vigil.gb28181.cascade.platforms import ShareEntry
from vigil.gb28181.cascade.shares import resolve, shared_channel
from vigil.governance.permissions import SYSTEM
from vigil.store.models import OrgKind, Role
from vigil.store.models.platforms import Platform, PlatformDirection, PlatformShare, ShareKind

NVR_A, NVR_B = "34010000001180000001", "34020000001180000001"
IN_CITY = "34010000001320000001"  # under 3401
IN_DISTRICT = "34010200001320000001"  # under 340102, below 3401
ELSEWHERE = "34020000001320000001"  # under 3402
GROUPED = "34010000001320000002"  # under 3401 too, and in the nested virtual organisation
BG, VO, VO_NESTED = "34000000002150000001", "34000000002160000001", "34000000002160000002"
OUTWARD = "34000000001320000099"


async def catalog(node: Vigil) -> None:
    orgs = [("34", None), ("3401", "34"), ("340102", "3401"), ("3402", "34")]
    for org_id, parent in orgs:
        await node.organisations.create(SYSTEM, org_id, f"org {org_id}", OrgKind.region, parent)
    await node.devices.create(SYSTEM, NVR_A, {"name": "a", "organisation_id": "3401"})
    await node.devices.create(SYSTEM, NVR_B, {"name": "b", "organisation_id": "3402"})
    for channel_id, device, org in [
        (IN_CITY, NVR_A, "3401"),
        (IN_DISTRICT, NVR_A, "340102"),
        (GROUPED, NVR_A, "3401"),
        (ELSEWHERE, NVR_B, "3402"),
    ]:
        await node.channels.create(
            SYSTEM, channel_id, device, {"name": "c", "organisation_id": org}
        )
    await node.virtual_groups.create(SYSTEM, BG, "business", None)
    await node.virtual_groups.create(SYSTEM, VO, "virtual", BG)
    await node.virtual_groups.create(SYSTEM, VO_NESTED, "nested", VO)
    await node.virtual_groups.add_channels(SYSTEM, VO_NESTED, [GROUPED])


async def platform(node: Vigil, *entries: PlatformShare, **fields: object) -> Platform:
    values: dict[str, object] = {"sip_id": "34000000002000000001", **fields}
    async with node.db.session() as session, session.begin():
        row = Platform(direction=PlatformDirection.UPPER, domain="3400000000", name="up", **values)
        session.add(row)
        await session.flush()
        for entry in entries:
            entry.platform_id = row.id
            session.add(entry)
    return row


async def test_an_organisation_comes_with_its_subtree_under_its_group(node: Vigil) -> None:
    await catalog(node)
    upper = await platform(
        node, PlatformShare(kind=ShareKind.organisation, target_id="3401", parent_group_id=BG)
    )
    async with node.db.session() as session:
        tree = await resolve(session, upper)
    assert set(tree.channels) == {IN_CITY, IN_DISTRICT, GROUPED}
    assert tree.channels[IN_DISTRICT].parent_id == "340102"
    assert tree.channels[IN_CITY].parent_id == "3401" and tree.channels[IN_CITY].group_id == BG
    assert {g: (tree.groups[g].parent_id, tree.groups[g].kind) for g in tree.groups} == {
        BG: (None, "business_group"),
        "3401": (BG, "organisation"),
        "340102": ("3401", "organisation"),
    }


async def test_an_outward_id_replaces_the_channel_own_id(node: Vigil) -> None:
    await catalog(node)
    upper = await platform(
        node,
        PlatformShare(kind=ShareKind.organisation, target_id="3401"),
        PlatformShare(kind=ShareKind.channel, target_id=IN_DISTRICT, outward_id=OUTWARD),
    )
    async with node.db.session() as session:
        assert await shared_channel(session, upper, OUTWARD) == IN_DISTRICT
        assert await shared_channel(session, upper, IN_DISTRICT) is None
        assert await shared_channel(session, upper, IN_CITY) == IN_CITY
        assert await shared_channel(session, upper, ELSEWHERE) is None


async def test_a_virtual_organisation_comes_with_its_path_and_descendants(node: Vigil) -> None:
    await catalog(node)
    upper = await platform(node, PlatformShare(kind=ShareKind.virtual_group, target_id=VO))
    async with node.db.session() as session:
        tree = await resolve(session, upper)
    assert set(tree.channels) == {GROUPED}
    assert tree.channels[GROUPED].parent_id == VO_NESTED
    assert tree.channels[GROUPED].group_id == BG
    assert {g: tree.groups[g].parent_id for g in tree.groups} == {
        BG: None,
        VO: BG,
        VO_NESTED: VO,
    }


async def test_share_all_is_what_the_creator_may_see(node: Vigil) -> None:
    await catalog(node)
    operator = await node.users.create(
        SYSTEM, "wuhu-operator", "Wuhu-Operator-Pass-1", Role.operator, ["3402"]
    )
    admin = await node.users.create(SYSTEM, "second-admin", "Second-Admin-Pass-1", Role.admin, [])
    seen: dict[int | None, set[str]] = {}
    for creator in (operator.id, admin.id, None):
        upper = await platform(
            node, share_all=True, created_by=creator, sip_id=f"3400000000200000{len(seen):04d}"
        )
        async with node.db.session() as session:
            seen[creator] = set((await resolve(session, upper)).channels)
    assert seen[operator.id] == {ELSEWHERE}  # the operator's scope is 3402
    assert seen[admin.id] == {IN_CITY, IN_DISTRICT, GROUPED, ELSEWHERE}
    assert seen[None] == set()  # the creator is gone: nothing is shared


async def test_set_shares_refuses_missing_targets_and_outward_ids_off_channels(
    node: Vigil,
) -> None:
    await catalog(node)
    upper = await platform(node)
    refusals = [
        (ShareEntry(ShareKind.channel, "34010000001320000077"), "not_found"),
        (ShareEntry(ShareKind.organisation, "3409"), "not_found"),
        (ShareEntry(ShareKind.virtual_group, "34000000002160000077"), "not_found"),
        (ShareEntry(ShareKind.channel, IN_CITY, parent_group_id=VO_NESTED[:-1] + "7"), "not_found"),
        (ShareEntry(ShareKind.organisation, "3401", outward_id=OUTWARD), "share.own_id"),
        (ShareEntry(ShareKind.virtual_group, VO, outward_id=OUTWARD), "share.own_id"),
    ]
    for entry, code in refusals:
        with pytest.raises(Invalid) as refused:
            await node.upper_platforms.set_shares(SYSTEM, upper.id, [entry])
        assert refused.value.code == code, entry
    await node.upper_platforms.set_shares(
        SYSTEM, upper.id, [ShareEntry(ShareKind.channel, IN_CITY, parent_group_id=VO)]
    )
    assert [e.target_id for e in await node.upper_platforms.shares(SYSTEM, upper.id)] == [IN_CITY]
