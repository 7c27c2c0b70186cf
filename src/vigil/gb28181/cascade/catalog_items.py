"""The shared tree as GB/T 28181 catalog items, in the form the upper platform's edition expects.

The tree has business groups (215) under Vigil, virtual organisations (216) under them, shared
organisations as civil-code nodes (行政区划) and the channels, each item naming its parent in
``ParentID`` (Vigil's own ID at the top). Where a virtual organisation or a channel belongs to a
business group, 2016 says so with an item-level ``BusinessGroupID``, 2022 inside ``Info``.
Channels carry their outward IDs; nodes come before what hangs under them, so an importer can
build the tree in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from vigil.gb28181.cascade.shares import SharedChannel, SharedGroup, SharedTree
from vigil.protocols.manscdp import CatalogInfo, CatalogItem
from vigil.store.models import Channel, Device

__all__ = ["ChannelRow", "channel_item", "group_items", "load_channels", "tree_items"]

#: Rows fetched per IN (...) query.
_CHUNK = 500

ChannelRow = tuple[Channel, Device | None]


def _business(edition: str, group_id: str | None) -> tuple[str | None, CatalogInfo | None]:
    """(item-level BusinessGroupID, Info) for an item under business group ``group_id``."""
    if group_id is None:
        return None, None
    if edition == "2022":
        return None, CatalogInfo(business_group_id=group_id)
    return group_id, None


def _ordered(groups: Iterable[SharedGroup]) -> list[SharedGroup]:
    """Parents before children (a parent missing from the tree counts as the top)."""
    pending = {g.id: g for g in groups}
    done: list[SharedGroup] = []
    for _ in range(len(pending) + 1):
        ready = [g for g in pending.values() if g.parent_id is None or g.parent_id not in pending]
        if not ready:
            break
        for group in sorted(ready, key=lambda g: g.id):
            done.append(group)
            del pending[group.id]
    return done + list(pending.values())


def group_items(tree: SharedTree, local_id: str, edition: str) -> list[CatalogItem]:
    """The tree's nodes: 215, 216 and organisations, parents first."""
    items: list[CatalogItem] = []
    for group in _ordered(tree.groups.values()):
        parent = group.parent_id if group.parent_id in tree.groups else local_id
        own = group.kind == "business_group"
        business, info = _business(edition, None if own else group.group_id)
        items.append(
            CatalogItem(
                device_id=group.id,
                name=group.name,
                parent_id=parent,
                business_group_id=business,
                info=info,
            )
        )
    return items


def channel_item(
    shared: SharedChannel,
    row: ChannelRow,
    local_id: str,
    edition: str,
    event: str | None = None,
) -> CatalogItem:
    """One shared channel under its outward ID; ``event`` set for a Catalog NOTIFY."""
    channel, device = row
    business, group_info = _business(edition, shared.group_id)
    online = channel.status == "online" and (device is None or device.online)
    return CatalogItem(
        device_id=shared.outward_id,
        event=event,
        name=channel.name,
        manufacturer=(device.manufacturer if device is not None else None) or "Vigil",
        model=(device.model if device is not None else None) or "IPC",
        owner=channel.owner_unit or "Owner",
        civil_code=channel.civil_code or local_id[:6],
        address=channel.address or channel.name,
        parental=0,
        parent_id=shared.parent_id or local_id,
        business_group_id=business,
        safety_way=0,
        register_way=1,
        secrecy=0,
        status="ON" if online else "OFF",
        longitude=channel.longitude,
        latitude=channel.latitude,
        info=CatalogInfo(
            ptz_type=channel.ptz_type,
            business_group_id=group_info.business_group_id if group_info else None,
        ),
    )


async def load_channels(session: AsyncSession, local_ids: Iterable[str]) -> dict[str, ChannelRow]:
    """Channel rows with their devices, by local ID."""
    ids = sorted(set(local_ids))
    rows: dict[str, ChannelRow] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        result = await session.execute(
            select(Channel, Device)
            .outerjoin(Device, Device.id == Channel.device_id)
            .where(Channel.id.in_(chunk))
        )
        for channel, device in result.all():
            rows[channel.id] = (channel, device)
    return rows


async def tree_items(
    session: AsyncSession, tree: SharedTree, local_id: str, edition: str
) -> list[CatalogItem]:
    """The whole shared catalog: nodes, then channels by outward ID."""
    rows = await load_channels(session, tree.by_local)
    items = group_items(tree, local_id, edition)
    for outward_id in sorted(tree.channels):
        shared = tree.channels[outward_id]
        row = rows.get(shared.local_id)
        if row is not None:
            items.append(channel_item(shared, row, local_id, edition))
    return items
