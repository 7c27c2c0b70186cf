"""A lower platform's catalog into the store, its tree kept: groups, regions, devices, channels.

What :func:`~vigil.gb28181.lower.lower_tree.plan_tree` read is written in one transaction
(:mod:`.lower_writes`, on what the platform owns: :mod:`.lower_owned`):

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

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from vigil.gb28181.devices.catalog_writer import CatalogChanges
from vigil.gb28181.lower.lower_owned import Owned, PlatformRef
from vigil.gb28181.lower.lower_tree import TreePlan, plan_tree
from vigil.gb28181.lower.lower_writes import write
from vigil.protocols.manscdp import CatalogItem
from vigil.store.database import Database
from vigil.store.models import Channel, Device, VirtualGroup

__all__ = ["LowerImport", "PlatformRef"]

log = logging.getLogger(__name__)

_STATUS = {"ON": "online", "OFF": "offline", "VLOST": "vlost", "DEFECT": "defect"}


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
            ours = await Owned.load(session, ref)
            plan = plan_tree(ref.device_id, items)
            changes = await write(session, ref, ours, plan)
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
            ours = await Owned.load(session, ref)
            plan = plan_tree(ref.device_id, upserts, ours.kinds())
            changes = await write(session, ref, ours, plan)
            gone = await _delete(session, ref, ours, deleted)
            changed = await _set_status(session, ours, status)
        _log_plan(ref, plan)
        return CatalogChanges(changes.added, changes.updated + changed, changes.deleted + gone)


async def _prune(
    session: AsyncSession, ref: PlatformRef, ours: Owned, plan: TreePlan, changes: CatalogChanges
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
    session: AsyncSession, ref: PlatformRef, ours: Owned, node_ids: list[str]
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
    session: AsyncSession, ours: Owned, status: dict[str, str]
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
