"""Read a lower platform's catalog items as a tree: what each node is and what it hangs under.

Pure (no I/O): :func:`plan_tree` takes the items a platform sent (a whole catalog or a NOTIFY's
ADD/UPDATE items) and the nodes already known from earlier imports, and returns a
:class:`TreePlan`. The rules, from GB/T 28181-2016 and -2022 A.2.1 and what platforms send:

* the ID says the kind: type code 215 a business group, 216 a virtual organisation, 111–130 and
  200 a device the platform manages, 131–199 a channel; 2, 4, 6 or 8 digits a civil-code node
  (行政区划); anything else is rejected with a reason, and the rest imported all the same;
* ``ParentID`` may list several parents separated by ``/`` (2016 platforms write
  ``<device>/<virtual organisation>`` for a channel); a virtual organisation's business group is
  ``BusinessGroupID`` at the item level (2016) or in ``Info`` (2022), used when ``ParentID`` names
  no group;
* a business group is always a root; a virtual organisation whose parent is unknown becomes a
  root under the platform rather than being dropped; a chain of parents that loops is cut where
  the loop closes (that node becomes a root), so a cycle never hides the nodes on it;
* a channel belongs to the first device among its parents (else to the platform itself), to every
  group among them, and to a civil-code node among them (else to its ``CivilCode``); platforms
  also write a 20-digit ID of theirs (type 200, 215 or 216) as the ``CivilCode``, whose first
  eight digits are the civil code (trailing ``00`` pairs dropped: ``34010400`` is ``340104``);
* every civil code a channel is filed under is a region of the plan: named by the item the
  platform sent for it, or, when it sent none, planned with the code as its name.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from vigil.protocols.manscdp import CatalogItem

__all__ = [
    "NodeKind",
    "PlacedChannel",
    "PlannedGroup",
    "TreePlan",
    "civil_code_of",
    "kind_of_id",
    "plan_tree",
]

BUSINESS_GROUP, VIRTUAL_ORG, PLATFORM = 215, 216, 200
DEVICE_TYPES = range(111, 131)
CHANNEL_TYPES = range(131, 200)
REGION_LENGTHS = (2, 4, 6, 8)


class NodeKind(enum.StrEnum):
    """What a catalog node is, read from its ID (or its place in the tree)."""

    business_group = "business_group"
    virtual_organisation = "virtual_organisation"
    device = "device"
    channel = "channel"
    region = "region"


def kind_of_id(node_id: str) -> NodeKind | None:
    """What an ID names, by its form and type code; None when it names nothing importable."""
    if not node_id.isascii() or not node_id.isdigit():
        return None
    if len(node_id) in REGION_LENGTHS:
        return NodeKind.region
    if len(node_id) != 20:
        return None
    type_code = int(node_id[10:13])
    if type_code == BUSINESS_GROUP:
        return NodeKind.business_group
    if type_code == VIRTUAL_ORG:
        return NodeKind.virtual_organisation
    if type_code in DEVICE_TYPES or type_code == PLATFORM:
        return NodeKind.device
    if type_code in CHANNEL_TYPES:
        return NodeKind.channel
    return None


_GROUPS = (NodeKind.business_group, NodeKind.virtual_organisation)


def civil_code_of(value: str | None) -> str | None:
    """The civil code a ``CivilCode`` field names: a 2-, 4-, 6- or 8-digit code as it is, or the
    first eight digits of a 20-digit ID (a platform's, a group's: any kind Vigil imports) with
    trailing ``00`` pairs dropped; None for anything else."""
    code = (value or "").strip()
    kind = kind_of_id(code)
    if kind is NodeKind.region:
        return code
    if kind is None:
        return None
    civil = code[:8]
    while len(civil) > 2 and civil.endswith("00"):
        civil = civil[:-2]
    return None if civil.endswith("00") else civil


@dataclass(frozen=True, slots=True)
class PlannedGroup:
    """A business group or virtual organisation to write, with its parent."""

    item: CatalogItem
    kind: NodeKind
    parent_id: str | None


@dataclass(frozen=True, slots=True)
class PlacedChannel:
    """A channel to write: its device, the groups it is in, its region."""

    item: CatalogItem
    device_id: str | None  # None: the platform itself
    group_ids: tuple[str, ...]
    region: str | None


@dataclass(slots=True)
class TreePlan:
    """Nodes by kind, in an order where every parent comes before its children."""

    groups: dict[str, PlannedGroup] = field(default_factory=dict)
    devices: dict[str, CatalogItem] = field(default_factory=dict)
    regions: dict[str, tuple[CatalogItem, str | None]] = field(default_factory=dict)
    channels: dict[str, PlacedChannel] = field(default_factory=dict)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    #: Groups whose parent chain looped, cut to roots.
    cycles: list[str] = field(default_factory=list)


def _parents(item: CatalogItem) -> list[str]:
    return [p.strip() for p in (item.parent_id or "").split("/") if p.strip()]


def _business_group(item: CatalogItem) -> str | None:
    if item.business_group_id:
        return item.business_group_id.strip()
    if item.info is not None and item.info.business_group_id:
        return item.info.business_group_id.strip()
    return None


def plan_tree(
    platform_id: str, items: Iterable[CatalogItem], known: Mapping[str, NodeKind] | None = None
) -> TreePlan:
    """Classify and place ``items``; ``known`` are nodes imported before (for a NOTIFY)."""
    plan = TreePlan()
    kinds: dict[str, NodeKind] = dict(known or {})
    batch = _classify(platform_id, items, kinds, plan)
    parents = _sort(batch, kinds, plan)
    _add_unnamed_regions(plan, kinds, set(known or {}))
    for code, (item, _) in list(plan.regions.items()):
        plan.regions[code] = (item, _region_parent(code, item, kinds))
    plan.cycles = _cut_cycles(parents)
    for node_id in _parents_first(parents):
        if node_id in batch:
            kind = kinds[node_id]
            plan.groups[node_id] = PlannedGroup(batch[node_id], kind, parents[node_id])
    plan.regions = dict(sorted(plan.regions.items(), key=lambda kv: len(kv[0])))
    return plan


def _classify(
    platform_id: str, items: Iterable[CatalogItem], kinds: dict[str, NodeKind], plan: TreePlan
) -> dict[str, CatalogItem]:
    """The items to place by ID, their kinds noted in ``kinds``; unreadable IDs rejected."""
    batch: dict[str, CatalogItem] = {}
    for item in items:
        node_id = item.device_id.strip()
        kind = kind_of_id(node_id)
        if node_id == platform_id:
            continue
        if kind is None:
            plan.rejected.append((node_id[:40], "not a group, device, channel or civil code"))
            continue
        kinds[node_id] = kind
        batch[node_id] = item
    return batch


def _sort(
    batch: Mapping[str, CatalogItem], kinds: Mapping[str, NodeKind], plan: TreePlan
) -> dict[str, str | None]:
    """Devices, regions and channels into ``plan``; the groups' parents, returned."""
    parents: dict[str, str | None] = {}
    for node_id, item in batch.items():
        kind = kinds[node_id]
        if kind in _GROUPS:
            parents[node_id] = _group_parent(node_id, kind, item, kinds)
        elif kind is NodeKind.device:
            plan.devices[node_id] = item
        elif kind is NodeKind.region:
            plan.regions[node_id] = (item, _region_parent(node_id, item, kinds))
        else:
            plan.channels[node_id] = _place(item, kinds)
    return parents


def _add_unnamed_regions(plan: TreePlan, kinds: dict[str, NodeKind], known: set[str]) -> None:
    """A region channels are filed under with no item of its own: named by its code."""
    for placed in plan.channels.values():
        if placed.region and placed.region not in plan.regions and placed.region not in known:
            unnamed = CatalogItem(device_id=placed.region, name=placed.region)
            kinds[placed.region] = NodeKind.region
            plan.regions[placed.region] = (unnamed, None)


def _group_parent(
    node_id: str, kind: NodeKind, item: CatalogItem, kinds: Mapping[str, NodeKind]
) -> str | None:
    if kind is NodeKind.business_group:
        return None
    candidates = [*_parents(item), _business_group(item)]
    for candidate in candidates:
        if candidate and candidate != node_id and kinds.get(candidate) in _GROUPS:
            return candidate
    return None


def _region_parent(node_id: str, item: CatalogItem, kinds: Mapping[str, NodeKind]) -> str | None:
    """A civil-code node's parent: the region its ParentID names if its code extends that one,
    else the longest shorter code in the catalog; None (filed by code alone) otherwise."""
    for candidate in _parents(item):
        if _is_region(candidate) and candidate != node_id and node_id.startswith(candidate):
            return candidate
    for length in reversed(REGION_LENGTHS):
        prefix = node_id[:length]
        if length < len(node_id) and kinds.get(prefix) is NodeKind.region:
            return prefix
    return None


def _is_region(node_id: str) -> bool:
    return kind_of_id(node_id) is NodeKind.region


def _place(item: CatalogItem, kinds: Mapping[str, NodeKind]) -> PlacedChannel:
    parents = _parents(item)
    devices = [p for p in parents if kinds.get(p) is NodeKind.device]
    groups = tuple(dict.fromkeys(p for p in parents if kinds.get(p) in _GROUPS))
    regions = [p for p in parents if _is_region(p)]
    region = regions[0] if regions else civil_code_of(item.civil_code)
    return PlacedChannel(item, devices[0] if devices else None, groups, region)


def _cut_cycles(parents: dict[str, str | None]) -> list[str]:
    """Make the node that closes each loop a root; the nodes cut, sorted."""
    cut: list[str] = []
    done: set[str] = set()
    for start in sorted(parents):
        path: list[str] = []
        on_path: set[str] = set()
        node: str | None = start
        while node is not None and node in parents and node not in done:
            if node in on_path:
                closer = path[-1]
                parents[closer] = None
                cut.append(closer)
                break
            path.append(node)
            on_path.add(node)
            node = parents[node]
        done.update(path)
    return sorted(cut)


def _parents_first(parents: Mapping[str, str | None]) -> list[str]:
    """Every node after its parent (the parents have no loops any more)."""
    order: list[str] = []
    placed: set[str] = set()
    for start in sorted(parents):
        chain: list[str] = []
        node: str | None = start
        while node is not None and node in parents and node not in placed:
            chain.append(node)
            node = parents[node]
        for member in reversed(chain):
            placed.add(member)
            order.append(member)
    return order
