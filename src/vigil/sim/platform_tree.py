"""The catalog tree a simulated lower platform reports: groups, regions, devices and channels.

A lower platform does not list a flat set of cameras: it sends business groups (215), virtual
organisations (216) beneath them (nested), plain civil-code nodes (行政区划), the devices it
manages (NVRs, type 118) and their channels, each item naming its parent. The two editions say it
differently, and the simulator speaks both so the importer is tested against both:

* 2016: a channel's ``ParentID`` lists its device and its group separated by ``/``
  (``<NVR>/<216>``), a virtual organisation carries ``BusinessGroupID`` at the item level;
* 2022: ``ParentID`` names the single node the item hangs under (the group if it has one), and a
  virtual organisation carries ``BusinessGroupID`` inside ``Info``.

Everything derives from the platform ID, so a test can predict the tree. The tree is mutable
(:meth:`PlatformTree.add`, :meth:`PlatformTree.remove`, :meth:`PlatformTree.set_status`) so the
platform can NOTIFY changes that match what it then answers to a fresh Catalog query.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from vigil.protocols.manscdp import CatalogInfo, CatalogItem
from vigil.sim.catalog import DEFAULT_CENTRE, SimChannel, camera_item, make_channels

__all__ = ["NVR_TYPE", "PlatformTree", "TreeChannel", "make_tree"]

NVR_TYPE = 118
BUSINESS_GROUP_TYPE = 215
VIRTUAL_ORG_TYPE = 216


def _gb_id(platform_id: str, type_code: int, serial: int) -> str:
    return f"{platform_id[:10]}{type_code}{platform_id[13]}{serial:06d}"


@dataclass(frozen=True, slots=True)
class TreeChannel:
    """A camera and where it hangs: its device (None: straight under the platform), its virtual
    group (215/216, or None) and its civil-code node (or None)."""

    channel: SimChannel
    device_id: str | None = None
    group_id: str | None = None
    region: str | None = None


@dataclass(slots=True)
class PlatformTree:
    """Group, region and device items (kept as sent) and the channels with their placement."""

    platform_id: str
    edition: str = "2016"
    nodes: dict[str, CatalogItem] = field(default_factory=dict)
    placed: dict[str, TreeChannel] = field(default_factory=dict)

    @property
    def channels(self) -> list[SimChannel]:
        return [tc.channel for tc in self.placed.values()]

    def items(self) -> list[CatalogItem]:
        """The whole catalog: nodes first (parents before children), then channels."""
        return [*self.nodes.values(), *(self.channel_item(c) for c in self.placed)]

    def item(self, node_id: str) -> CatalogItem:
        """The item of one node or channel as the catalog reports it now."""
        return self.nodes[node_id] if node_id in self.nodes else self.channel_item(node_id)

    def channel_item(self, channel_id: str) -> CatalogItem:
        placed = self.placed[channel_id]
        ch = placed.channel
        group = self.nodes.get(placed.group_id) if placed.group_id else None
        business = _business_group(group) if group is not None else None
        if self.edition == "2016":
            parents = [p for p in (placed.device_id, placed.group_id) if p]
            parent = "/".join(parents) or placed.region or self.platform_id
        else:
            parent = placed.group_id or placed.device_id or placed.region or self.platform_id
        return camera_item(
            ch,
            civil_code=placed.region or self.platform_id[:6],
            parent_id=parent,
            business_group_id=business if self.edition == "2016" else None,
            info=CatalogInfo(
                ptz_type=ch.ptz_type,
                business_group_id=business if self.edition == "2022" else None,
            ),
        )

    def add(self, item: CatalogItem | TreeChannel) -> str:
        """Add a node item or a placed channel; its ID."""
        if isinstance(item, TreeChannel):
            self.placed[item.channel.channel_id] = item
            return item.channel.channel_id
        self.nodes[item.device_id] = item
        return item.device_id

    def remove(self, node_id: str) -> list[str]:
        """Remove a node with everything under it (what a receiver of DEL must also drop)."""
        gone = [node_id]
        for child_id, child in list(self.nodes.items()):
            if node_id in _parents(child) and child_id not in gone:
                gone += self.remove(child_id)
        self.nodes.pop(node_id, None)
        for channel_id, placed in list(self.placed.items()):
            if channel_id == node_id or node_id in (placed.group_id, placed.device_id):
                del self.placed[channel_id]
                gone.append(channel_id)
        return list(dict.fromkeys(gone))

    def set_status(self, channel_id: str, status: str) -> None:
        placed = self.placed[channel_id]
        self.placed[channel_id] = replace(placed, channel=placed.channel.with_status(status))

    def group(self, group_id: str, name: str, parent_id: str | None) -> CatalogItem:
        """A 215 (``parent_id`` None) or 216 item in this tree's edition."""
        if parent_id is None:
            return CatalogItem(device_id=group_id, name=name, parent_id=self.platform_id)
        parent = self.nodes[parent_id]
        business = _business_group(parent) or parent_id
        return CatalogItem(
            device_id=group_id,
            name=name,
            parent_id=parent_id,
            business_group_id=business if self.edition == "2016" else None,
            info=CatalogInfo(business_group_id=business) if self.edition == "2022" else None,
        )


def _business_group(item: CatalogItem) -> str | None:
    """The 215 a group item belongs to (itself for a 215)."""
    if item.device_id[10:13] == str(BUSINESS_GROUP_TYPE):
        return item.device_id
    if item.business_group_id:
        return item.business_group_id
    return item.info.business_group_id if item.info is not None else None


def _parents(item: CatalogItem) -> list[str]:
    return [p for p in (item.parent_id or "").split("/") if p]


def make_tree(
    platform_id: str,
    *,
    edition: str = "2016",
    business_groups: int = 2,
    devices: int = 2,
    channels_per_device: int = 3,
    centre: tuple[float, float] = DEFAULT_CENTRE,
) -> PlatformTree:
    """A believable tree: per business group two virtual organisations, the first with a nested
    one; a district civil-code node with one unit under it; ``devices`` NVRs whose channels are
    spread over the groups; one more channel straight under the unit's civil-code node."""
    tree = PlatformTree(platform_id, edition)
    district = platform_id[:6]
    unit = f"{district}01"
    tree.add(CatalogItem(device_id=district, name=f"区县 {district}", parent_id=platform_id))
    tree.add(CatalogItem(device_id=unit, name=f"单位 {unit}", parent_id=district))
    leaves: list[str] = []
    serial = 1
    for b in range(business_groups):
        bg = _gb_id(platform_id, BUSINESS_GROUP_TYPE, b + 1)
        tree.add(tree.group(bg, f"业务分组 {b + 1}", None))
        for o in range(2):
            org = _gb_id(platform_id, VIRTUAL_ORG_TYPE, serial)
            serial += 1
            tree.add(tree.group(org, f"虚拟组织 {b + 1}-{o + 1}", bg))
            leaves.append(org)
            if o == 0:
                nested = _gb_id(platform_id, VIRTUAL_ORG_TYPE, serial)
                serial += 1
                tree.add(tree.group(nested, f"虚拟组织 {b + 1}-{o + 1}-1", org))
                leaves.append(nested)
    index = 0
    for d in range(devices):
        nvr = _gb_id(platform_id, NVR_TYPE, d + 1)
        tree.add(
            CatalogItem(
                device_id=nvr,
                name=f"NVR {d + 1}",
                manufacturer="Vigil",
                model="SIM-NVR",
                civil_code=district,
                parent_id=platform_id,
                status="ON",
            )
        )
        for ch in make_channels(nvr, channels_per_device, centre):
            group = leaves[index % len(leaves)] if leaves and index % 3 else None
            tree.add(TreeChannel(ch, device_id=nvr, group_id=group))
            index += 1
    (loose,) = make_channels(_gb_id(platform_id, NVR_TYPE, 999), 1, centre)
    tree.add(TreeChannel(loose, region=unit))
    return tree
