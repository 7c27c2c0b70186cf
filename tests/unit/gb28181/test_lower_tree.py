"""The lower-platform tree planner: kinds by ID, parent rules of both editions, loops cut.

The property test draws arbitrary parent graphs over virtual organisations (loops, self parents,
unknown parents, several parents) and checks what the importer relies on: every group is kept,
no parent chain loops, every parent comes before its children, and a parent is always a group.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.gb28181.lower.lower_tree import NodeKind, civil_code_of, kind_of_id, plan_tree
from vigil.protocols.manscdp import CatalogInfo, CatalogItem

PLATFORM = "34010400002000000001"
BG = "34010400002150000001"
NVR = "34010400001180000001"


def org(n: int) -> str:
    return f"34010400002160{n:06d}"


def test_kinds_by_id() -> None:
    assert kind_of_id(BG) is NodeKind.business_group
    assert kind_of_id(org(1)) is NodeKind.virtual_organisation
    assert kind_of_id(NVR) is NodeKind.device
    assert kind_of_id(PLATFORM) is NodeKind.device
    assert kind_of_id("34010400001320000001") is NodeKind.channel
    assert kind_of_id("340104") is NodeKind.region
    for junk in ("", "abc", "12345", "3401040000300000000１", "34010400003000000001"):
        assert kind_of_id(junk) is None


def test_civil_code_of_a_code_or_an_id() -> None:
    assert civil_code_of("340104") == "340104"
    assert civil_code_of(" 34010401 ") == "34010401"
    assert civil_code_of(PLATFORM) == "340104"  # 34010400: the district itself
    assert civil_code_of(BG) == "340104"
    assert civil_code_of("34010401002160000003") == "34010401"
    assert civil_code_of("34000000002000000001") == "34"
    for junk in (None, "", "3401x4", "00000000002000000001", "34010400003000000001"):
        assert civil_code_of(junk) is None


def test_channels_land_under_regions_named_when_sent_else_by_code() -> None:
    named = CatalogItem(device_id="340104", name="蜀山区", parent_id=PLATFORM)
    by_unit = CatalogItem(
        device_id="34010400001320000001", parent_id=PLATFORM, civil_code="34010402"
    )
    by_id = CatalogItem(device_id="34010400001320000002", parent_id=PLATFORM, civil_code=PLATFORM)
    by_parent = CatalogItem(device_id="34010400001320000003", parent_id="34010403")
    plan = plan_tree(PLATFORM, [named, by_unit, by_id, by_parent])
    regions = {code: (item.name, parent) for code, (item, parent) in plan.regions.items()}
    assert regions == {
        "340104": ("蜀山区", None),
        "34010402": ("34010402", "340104"),  # no item for it: its code is its name
        "34010403": ("34010403", "340104"),
    }
    assert next(iter(plan.regions)) == "340104"  # parents first
    placed = {c: p.region for c, p in plan.channels.items()}
    assert placed == {
        by_unit.device_id: "34010402",
        by_id.device_id: "340104",
        by_parent.device_id: "34010403",
    }
    # A code known from an earlier import is not planned again (a NOTIFY naming one channel).
    again = plan_tree(PLATFORM, [by_unit], known={"34010402": NodeKind.region})
    assert again.regions == {}


def test_both_editions_place_a_channel_and_a_virtual_organisation_alike() -> None:
    channel = "34010400001320000001"
    common = [
        CatalogItem(device_id=BG, parent_id=PLATFORM),
        CatalogItem(device_id=NVR, parent_id=PLATFORM),
        CatalogItem(device_id="340104"),
        CatalogItem(device_id="34010401", parent_id=PLATFORM),
    ]
    editions = {
        "2016": [
            CatalogItem(device_id=org(1), business_group_id=BG),
            CatalogItem(device_id=channel, parent_id=f"{NVR}/{org(1)}", civil_code="34010401"),
        ],
        "2022": [
            CatalogItem(device_id=org(1), info=CatalogInfo(business_group_id=BG)),
            CatalogItem(device_id=channel, parent_id=f" {org(1)} / {NVR} ", civil_code="34010401"),
        ],
    }
    for items in editions.values():
        plan = plan_tree(PLATFORM, [*common, *items])
        assert plan.groups[org(1)].parent_id == BG and plan.groups[BG].parent_id is None
        placed = plan.channels[channel]
        assert (placed.device_id, placed.group_ids, placed.region) == (NVR, (org(1),), "34010401")
        assert plan.regions["34010401"][1] == "340104"  # by code, not by the ParentID it named
        assert list(plan.regions) == ["340104", "34010401"]
        assert not plan.rejected and not plan.cycles


def test_known_nodes_place_a_notified_item() -> None:
    known = {BG: NodeKind.business_group, NVR: NodeKind.device}
    item = CatalogItem(device_id=org(7), parent_id=BG)
    channel = CatalogItem(device_id="34010400001320000002", parent_id=f"{NVR}/{org(7)}")
    plan = plan_tree(PLATFORM, [channel, item], known)
    assert list(plan.groups) == [org(7)] and plan.groups[org(7)].parent_id == BG
    assert plan.channels[channel.device_id].device_id == NVR


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(0, 14), max_size=3),
        min_size=1,
        max_size=12,
    )
)
def test_any_parent_graph_plans_to_a_forest_listed_parents_first(
    parents: list[list[int]],
) -> None:
    items = [
        CatalogItem(device_id=org(i), parent_id="/".join(org(p) for p in ps) or None)
        for i, ps in enumerate(parents)
    ]
    plan = plan_tree(PLATFORM, items)
    assert set(plan.groups) == {org(i) for i in range(len(parents))}
    position = {g: i for i, g in enumerate(plan.groups)}
    for group_id, group in plan.groups.items():
        if group.parent_id is not None:
            assert group.parent_id in plan.groups
            assert position[group.parent_id] < position[group_id]
        seen = {group_id}
        node = group.parent_id
        while node is not None:
            assert node not in seen
            seen.add(node)
            node = plan.groups[node].parent_id
