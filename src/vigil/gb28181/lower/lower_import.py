"""A lower platform's catalog into the store, its tree kept: groups, regions, devices, channels.

What :func:`~vigil.gb28181.lower.lower_tree.plan_tree` read is written in one transaction:

* civil-code nodes become regions of the organisation tree when Vigil has none by that code
  (filed under the longest region whose code they extend); they are administrative areas every
  platform shares, so they stay when the platform goes; a code a channel is filed under without
  an item of its own becomes a region named by its code, renamed when an item names it later;
* business groups and virtual organisations become :class:`VirtualGroup` rows marked with the
  platform, parent links as sent; a group ID Vigil already holds for itself or for another
  platform is left alone, and what hangs under it becomes a root;
* devices the platform manages become :class:`Device` rows marked with the platform; channels
  belong to their device, or to the platform's own device row, so a request for any of them goes
  to the platform (see ``GbService.route``); a channel filed under a device that is not this
  platform's is left alone, as the device catalog does;
* channel membership of the platform's groups is replaced by what the catalog says.

A whole catalog also deletes this platform's groups, devices and channels it no longer lists; a
partial one (timeout) deletes nothing. NOTIFY events go through :meth:`LowerImport.apply`: ADD and
UPDATE place items as above, DEL removes a node with its subtree (a group's nested groups and
their channels, a device's channels), ON/OFF/VLOST/DEFECT set a channel's status or a device's
online flag.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from vigil.gb28181.devices.catalog_writer import CatalogChanges, channel_fields
from vigil.gb28181.devices.device_records import region_for
from vigil.gb28181.lower.lower_tree import NodeKind, TreePlan, plan_tree
from vigil.protocols.manscdp import CatalogItem
from vigil.store.database import Database
from vigil.store.models import Channel, Device, Organisation, OrgKind, VirtualGroup
from vigil.store.models.platforms import VirtualGroupKind, virtual_group_channels

__all__ = ["LowerImport", "PlatformRef"]

log = logging.getLogger(__name__)

_STATUS = {"ON": "online", "OFF": "offline", "VLOST": "vlost", "DEFECT": "defect"}
_GROUP_KIND = {
    NodeKind.business_group: VirtualGroupKind.business_group,
    NodeKind.virtual_organisation: VirtualGroupKind.virtual_organisation,
}


@dataclass(frozen=True, slots=True)
class PlatformRef:
    """A lower platform as the importer needs it: its row and its registered device."""

    id: int
    device_id: str
    organisation_id: str | None


def _name(item: CatalogItem, limit: int = 128) -> str:
    value = "".join(ch for ch in (item.name or "") if ch >= " " and ch != "\x7f").strip()
    return value[:limit] or item.device_id


class _Ours:
    """What this platform already owns in the store, loaded at the start of a write."""

    def __init__(self, groups: dict[str, VirtualGroup], devices: dict[str, Device]) -> None:
        self.groups = groups
        self.devices = devices

    @classmethod
    async def load(cls, session: AsyncSession, ref: PlatformRef) -> _Ours:
        groups = (
            await session.scalars(select(VirtualGroup).where(VirtualGroup.platform_id == ref.id))
        ).all()
        devices = (
            await session.scalars(
                select(Device).where((Device.platform_id == ref.id) | (Device.id == ref.device_id))
            )
        ).all()
        return cls({g.id: g for g in groups}, {d.id: d for d in devices})

    def kinds(self) -> dict[str, NodeKind]:
        out = {
            g.id: NodeKind.business_group
            if g.kind is VirtualGroupKind.business_group
            else NodeKind.virtual_organisation
            for g in self.groups.values()
        }
        out.update(dict.fromkeys(self.devices, NodeKind.device))
        return out

    async def channels(
        self, session: AsyncSession, ids: Iterable[str] | None = None
    ) -> dict[str, Channel]:
        """This platform's channels (only those among ``ids`` when given: a NOTIFY names few)."""
        query = select(Channel).where(Channel.device_id.in_(self.devices))
        if ids is not None:
            query = query.where(Channel.id.in_(list(ids)))
        return {c.id: c for c in (await session.scalars(query)).all()}

    async def channels_of(
        self, session: AsyncSession, devices: set[str], groups: set[str]
    ) -> set[str]:
        """IDs of this platform's channels on ``devices`` or in ``groups``."""
        mine = Channel.device_id.in_(self.devices)
        on_devices = select(Channel.id).where(mine, Channel.device_id.in_(devices))
        in_groups = (
            select(Channel.id)
            .join(virtual_group_channels, virtual_group_channels.c.channel_id == Channel.id)
            .where(mine, virtual_group_channels.c.group_id.in_(groups))
        )
        found = set((await session.scalars(on_devices)).all()) if devices else set()
        if groups:
            found.update((await session.scalars(in_groups)).all())
        return found

    def subtree(self, group_id: str) -> list[str]:
        """The group and every group below it (parent links have no loops: see lower_tree)."""
        children: dict[str | None, list[str]] = {}
        for group in self.groups.values():
            children.setdefault(group.parent_id, []).append(group.id)
        out: list[str] = []
        todo = [group_id]
        while todo and len(out) <= len(self.groups):
            node = todo.pop()
            out.append(node)
            todo.extend(children.get(node, []))
        return out


class LowerImport:
    """Writes one lower platform's catalog at a time (a sync and a NOTIFY may overlap)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._lock = asyncio.Lock()

    async def replace(
        self, ref: PlatformRef, items: Iterable[CatalogItem], *, complete: bool
    ) -> tuple[CatalogChanges, TreePlan]:
        """A whole (or timed-out partial) catalog: place everything, delete what is gone."""
        async with self._lock, self._db.session() as session, session.begin():
            ours = await _Ours.load(session, ref)
            plan = plan_tree(ref.device_id, items)
            changes = await _write(session, ref, ours, plan)
            if complete:
                changes = await _prune(session, ref, ours, plan, changes)
        _log_plan(ref, plan)
        return changes, plan

    async def apply(self, ref: PlatformRef, items: Iterable[CatalogItem]) -> CatalogChanges:
        """A catalog NOTIFY: ADD/UPDATE placed, DEL removed with subtrees, ON/OFF… as status."""
        upserts: list[CatalogItem] = []
        deleted: list[str] = []
        status: dict[str, str] = {}
        for item in items:
            event = (item.event or "").strip().upper()
            if event in ("ADD", "UPDATE"):
                upserts.append(item)
            elif event == "DEL":
                deleted.append(item.device_id.strip())
            elif event in _STATUS:
                status[item.device_id.strip()] = _STATUS[event]
        async with self._lock, self._db.session() as session, session.begin():
            ours = await _Ours.load(session, ref)
            plan = plan_tree(ref.device_id, upserts, ours.kinds())
            changes = await _write(session, ref, ours, plan)
            gone = await _delete(session, ref, ours, deleted)
            changed = await _set_status(session, ours, status)
        _log_plan(ref, plan)
        return CatalogChanges(changes.added, changes.updated + changed, changes.deleted + gone)


async def _write(
    session: AsyncSession, ref: PlatformRef, ours: _Ours, plan: TreePlan
) -> CatalogChanges:
    regions = await _write_regions(session, plan)
    await _write_groups(session, ref, ours, plan)
    await _write_devices(session, ref, ours, plan)
    return await _write_channels(session, ref, ours, plan, regions)


async def _write_regions(session: AsyncSession, plan: TreePlan) -> dict[str, str]:
    """Missing civil-code nodes as regions; every planned code → its organisation path."""
    paths: dict[str, str] = {}
    existing = {
        o.id: o
        for o in (
            await session.scalars(select(Organisation).where(Organisation.id.in_(plan.regions)))
        ).all()
    }
    for code, (item, parent) in plan.regions.items():
        if code in existing:
            row = existing[code]
            paths[code] = row.path
            if row.name == code and _name(item) != code:  # filed by code before, named now
                row.name = _name(item)
            continue
        parent_id = parent if parent in paths else await region_for(session, code[:-2] or code)
        if parent_id == code:
            parent_id = None
        parent_path = paths.get(parent_id or "") or await _path(session, parent_id)
        path = f"{parent_path or ''}{code}/"
        session.add(
            Organisation(
                id=code,
                name=_name(item),
                kind=OrgKind.region,
                parent_id=parent_id if parent_path else None,
                path=path,
            )
        )
        paths[code] = path
    await session.flush()
    return paths


async def _path(session: AsyncSession, organisation_id: str | None) -> str | None:
    if organisation_id is None:
        return None
    return await session.scalar(select(Organisation.path).where(Organisation.id == organisation_id))


async def _write_groups(
    session: AsyncSession, ref: PlatformRef, ours: _Ours, plan: TreePlan
) -> None:
    taken = set(
        (
            await session.scalars(
                select(VirtualGroup.id).where(
                    VirtualGroup.id.in_([g for g in plan.groups if g not in ours.groups])
                )
            )
        ).all()
    )
    for group_id in taken:
        plan.rejected.append((group_id, "group ID already used by Vigil or another platform"))
    usable = [g for g in plan.groups.values() if g.item.device_id not in taken]
    # New rows first, parents before children, then updates: an update may point at a new row.
    updates: list[tuple[VirtualGroup, str, str | None]] = []
    for planned in usable:
        group_id = planned.item.device_id.strip()
        parent = planned.parent_id if planned.parent_id not in taken else None
        row = ours.groups.get(group_id)
        if row is None:
            row = VirtualGroup(
                id=group_id,
                name=_name(planned.item),
                kind=_GROUP_KIND[planned.kind],
                parent_id=parent,
                platform_id=ref.id,
            )
            session.add(row)
            ours.groups[group_id] = row
        else:
            updates.append((row, _name(planned.item), parent))
    await session.flush()
    for row, name, parent in updates:
        row.name, row.parent_id = name, parent
    await session.flush()


async def _write_devices(
    session: AsyncSession, ref: PlatformRef, ours: _Ours, plan: TreePlan
) -> None:
    new = [d for d in plan.devices if d not in ours.devices]
    taken = set((await session.scalars(select(Device.id).where(Device.id.in_(new)))).all())
    for device_id, item in plan.devices.items():
        if device_id in taken:
            plan.rejected.append((device_id, "device registered with Vigil by itself"))
            continue
        status = (item.status or "").strip().upper()
        fields = {
            "name": _name(item),
            "manufacturer": (item.manufacturer or "")[:64] or None,
            "model": (item.model or "")[:64] or None,
        }
        row = ours.devices.get(device_id)
        if row is None:
            row = Device(
                id=device_id,
                organisation_id=ref.organisation_id,
                platform_id=ref.id,
                online=status in ("ON", "ONLINE"),
                **fields,
            )
            session.add(row)
            ours.devices[device_id] = row
        else:
            for name, value in fields.items():
                if value is not None:
                    setattr(row, name, value)
            if status:
                row.online = status in ("ON", "ONLINE")
    await session.flush()


async def _write_channels(
    session: AsyncSession, ref: PlatformRef, ours: _Ours, plan: TreePlan, regions: dict[str, str]
) -> CatalogChanges:
    existing = await ours.channels(session, plan.channels)
    new_ids = [c for c in plan.channels if c not in existing]
    taken = set((await session.scalars(select(Channel.id).where(Channel.id.in_(new_ids)))).all())
    added: list[str] = []
    updated: list[str] = []
    filed: dict[str | None, str | None] = {}
    for channel_id, placed in plan.channels.items():
        if channel_id in taken:
            plan.rejected.append((channel_id, "channel filed under a device of another source"))
            continue
        device_id = placed.device_id if placed.device_id in ours.devices else ref.device_id
        fields = channel_fields(placed.item)
        row = existing.get(channel_id)
        if row is not None:
            for name, value in fields.items():
                setattr(row, name, value)
            row.device_id = device_id
            updated.append(channel_id)
            continue
        if placed.region not in filed:
            filed[placed.region] = (
                placed.region
                if placed.region in regions
                else await region_for(session, placed.region)
                if placed.region
                else None
            )
        fields.setdefault("name", channel_id)
        session.add(
            Channel(
                id=channel_id,
                device_id=device_id,
                organisation_id=filed[placed.region] or ref.organisation_id,
                industry=channel_id[8:10],
                **fields,
            )
        )
        added.append(channel_id)
    await session.flush()
    await _write_membership(session, ours, plan, set(added) | set(updated))
    return CatalogChanges(tuple(added), tuple(updated))


async def _write_membership(
    session: AsyncSession, ours: _Ours, plan: TreePlan, channel_ids: set[str]
) -> None:
    if not channel_ids:
        return
    await session.execute(
        delete(virtual_group_channels).where(
            virtual_group_channels.c.channel_id.in_(channel_ids),
            virtual_group_channels.c.group_id.in_(ours.groups),
        )
    )
    rows = [
        {"group_id": group_id, "channel_id": channel_id}
        for channel_id in sorted(channel_ids)
        for group_id in plan.channels[channel_id].group_ids
        if group_id in ours.groups
    ]
    if rows:
        await session.execute(insert(virtual_group_channels), rows)


async def _prune(
    session: AsyncSession, ref: PlatformRef, ours: _Ours, plan: TreePlan, changes: CatalogChanges
) -> CatalogChanges:
    """After a whole catalog: this platform's channels, devices and groups it no longer lists."""
    channels = await ours.channels(session)
    gone_channels = sorted(set(channels) - set(plan.channels))
    if gone_channels:
        await session.execute(delete(Channel).where(Channel.id.in_(gone_channels)))
    gone_devices = sorted(set(ours.devices) - set(plan.devices) - {ref.device_id})
    if gone_devices:
        await session.execute(delete(Device).where(Device.id.in_(gone_devices)))
    gone_groups = sorted(set(ours.groups) - set(plan.groups))
    if gone_groups:
        await session.execute(delete(VirtualGroup).where(VirtualGroup.id.in_(gone_groups)))
    return CatalogChanges(changes.added, changes.updated, tuple(gone_channels))


async def _delete(
    session: AsyncSession, ref: PlatformRef, ours: _Ours, node_ids: list[str]
) -> tuple[str, ...]:
    """DEL events: a group with its subtree and the channels in it, a device with its channels,
    a channel; IDs of other sources and civil-code nodes are left alone. The channels deleted."""
    groups: set[str] = set()
    devices: set[str] = set()
    for node_id in node_ids:
        if node_id in ours.groups:
            groups.update(ours.subtree(node_id))
        elif node_id in ours.devices and node_id != ref.device_id:
            devices.add(node_id)
    doomed = set(await ours.channels(session, node_ids))
    doomed |= await ours.channels_of(session, devices, groups)
    if doomed:
        await session.execute(delete(Channel).where(Channel.id.in_(doomed)))
    if devices:
        await session.execute(delete(Device).where(Device.id.in_(devices)))
    if groups:
        await session.execute(delete(VirtualGroup).where(VirtualGroup.id.in_(groups)))
    return tuple(sorted(doomed))


async def _set_status(
    session: AsyncSession, ours: _Ours, status: dict[str, str]
) -> tuple[str, ...]:
    if not status:
        return ()
    channels = await ours.channels(session, status)
    changed: list[str] = []
    for node_id, value in status.items():
        if node_id in channels:
            channels[node_id].status = value
            changed.append(node_id)
        elif node_id in ours.devices and value in ("online", "offline"):
            ours.devices[node_id].online = value == "online"
    return tuple(changed)


def _log_plan(ref: PlatformRef, plan: TreePlan) -> None:
    if plan.rejected or plan.cycles:
        log.warning(
            "lower platform catalog: items not imported as sent",
            extra={
                "device_id": ref.device_id,
                "rejected": plan.rejected[:20],
                "rejected_count": len(plan.rejected),
                "cycles_cut": plan.cycles[:20],
            },
        )
