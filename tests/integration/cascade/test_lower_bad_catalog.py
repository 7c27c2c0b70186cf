"""Bad catalog input from a lower platform: loops, unknown parents, junk IDs, oversize fields.

The simulated platform answers the catalog query with hand-made items; every usable item must
be imported and the bad ones must not take the rest with them. A very deep or very long catalog
is planned without recursion and in bounded time.
"""

from __future__ import annotations

import time
from pathlib import Path

from tests.integration.cascade.lower_rig import PLATFORM_ID, lower_rig
from vigil.gb28181.lower.lower_tree import plan_tree
from vigil.protocols.manscdp import CatalogInfo, CatalogItem

P = PLATFORM_ID[:10]
BG = f"{P}2150000001"
A, B, C, D = (f"{P}21600000{n:02d}" for n in (1, 2, 3, 4))
CHAIN = [f"{P}2160001{n:03d}" for n in range(40)]
NVR = f"{P}1180000001"
CAM = [f"{P}1320000{n:03d}" for n in range(1, 6)]


def _items() -> list[CatalogItem]:
    chain = [
        CatalogItem(device_id=g, name=f"链 {i}", parent_id=CHAIN[i - 1] if i else BG)
        for i, g in enumerate(CHAIN)
    ]
    return [
        CatalogItem(device_id=BG, name="业务分组", parent_id=PLATFORM_ID),
        CatalogItem(device_id=A, name="环 A", parent_id=B, business_group_id=BG),
        CatalogItem(device_id=B, name="环 B", parent_id=A, info=CatalogInfo(business_group_id=BG)),
        CatalogItem(device_id=C, name="自己的父", parent_id=C),
        CatalogItem(device_id=D, name="父不存在", parent_id=f"{P}2169999999"),
        *chain,
        CatalogItem(device_id=NVR, name="NVR", parent_id=PLATFORM_ID),
        CatalogItem(device_id=CAM[0], name="长名" * 3000, parent_id=f"{NVR}/{A}"),
        CatalogItem(device_id=CAM[1], name="父设备不存在", parent_id=f"{P}1189999999"),
        CatalogItem(device_id=CAM[2], name="乱父", parent_id="/".join(["x/../"] * 300)),
        CatalogItem(device_id=CAM[3], name="在链底", parent_id=CHAIN[-1], longitude=999.0),
        CatalogItem(device_id=CAM[4], name="在环里", parent_id=f"{B}/{NVR}"),
        CatalogItem(device_id="abc", name="不是编码"),
        CatalogItem(device_id="12345", name="五位"),
        CatalogItem(device_id=f"{P}3000000001", name="类型 300"),
    ]


def _root_of(parents: dict[str, str | None], node: str) -> str:
    seen: set[str] = set()
    while (parent := parents.get(node)) is not None:
        assert node not in seen, f"loop through {node}"
        seen.add(node)
        node = parent
    return node


async def test_bad_items_are_handled_without_losing_the_rest(
    tmp_path: Path, database_url: str
) -> None:
    async with lower_rig(tmp_path, database_url, items=_items()) as rig:
        stored = await rig.stored()
        parents = {g: row.parent_id for g, row in stored.groups.items()}
        assert set(parents) == {BG, A, B, C, D, *CHAIN}
        # The loop A ↔ B is cut once: both kept, neither loops, exactly one is now a root.
        assert {_root_of(parents, n) for n in (A, B)} <= {A, B}
        assert [parents[A], parents[B]].count(None) == 1
        assert parents[C] is None and parents[D] is None  # self and unknown parents: roots
        assert parents[CHAIN[0]] == BG
        assert all(parents[CHAIN[i]] == CHAIN[i - 1] for i in range(1, len(CHAIN)))
        assert _root_of(parents, CHAIN[-1]) == BG

        channels = stored.channels
        assert set(channels) == set(CAM)
        assert len(channels[CAM[0]].name) == 128 and channels[CAM[0]].device_id == NVR
        assert stored.members[CAM[0]] == {A}
        assert channels[CAM[1]].device_id == PLATFORM_ID and not stored.members[CAM[1]]
        assert channels[CAM[2]].device_id == PLATFORM_ID
        assert stored.members[CAM[3]] == {CHAIN[-1]} and channels[CAM[3]].longitude is None
        assert channels[CAM[4]].device_id == NVR and stored.members[CAM[4]] == {B}
        assert set(stored.devices) == {PLATFORM_ID, NVR}


def test_a_deep_and_long_catalog_is_planned_without_recursion_in_bounded_time() -> None:
    depth = 20_000
    groups = [f"{P}216{n:07d}" for n in range(depth)]
    items = [CatalogItem(device_id=BG, parent_id=PLATFORM_ID)]
    items += [
        CatalogItem(device_id=g, parent_id=groups[i - 1] if i else BG) for i, g in enumerate(groups)
    ]
    # The deepest node points back at the first: one loop of 20,000 nodes.
    items[1] = CatalogItem(device_id=groups[0], parent_id=groups[-1])
    started = time.thread_time()  # this thread's CPU: a busy machine does not stretch it
    plan = plan_tree(PLATFORM_ID, reversed(items))
    elapsed = time.thread_time() - started
    assert len(plan.groups) == depth + 1 and len(plan.cycles) == 1
    order = list(plan.groups)
    position = {g: i for i, g in enumerate(order)}
    assert all(position[p.parent_id] < position[g] for g, p in plan.groups.items() if p.parent_id)
    assert elapsed < 5.0
