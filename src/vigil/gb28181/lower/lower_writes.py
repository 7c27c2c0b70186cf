"""Writing a planned lower-platform tree: regions, groups, devices, channels and membership.

:func:`write` places what :func:`~vigil.gb28181.lower.lower_tree.plan_tree` read, in the
session of the caller's transaction (see :mod:`.lower_import` for the rules); an ID another source
holds is left alone and noted in the plan's ``rejected``.
"""

from __future__ import annotations

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from vigil.gb28181.devices.catalog_writer import CatalogChanges, channel_fields
from vigil.gb28181.devices.device_records import region_for
from vigil.gb28181.lower.lower_owned import Owned, PlatformRef, item_name
from vigil.gb28181.lower.lower_tree import NodeKind, TreePlan
from vigil.store.models import Channel, Device, Organisation, OrgKind, VirtualGroup
from vigil.store.models.platforms import VirtualGroupKind, virtual_group_channels

__all__ = ["write"]

_GROUP_KIND = {
    NodeKind.business_group: VirtualGroupKind.business_group,
    NodeKind.virtual_organisation: VirtualGroupKind.virtual_organisation,
}


async def write(
    session: AsyncSession, ref: PlatformRef, ours: Owned, plan: TreePlan
) -> CatalogChanges:
    """Place ``plan``'s regions, groups, devices and channels; the channels added and updated."""
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
            if row.name == code and item_name(item) != code:  # filed by code before, named now
                row.name = item_name(item)
            continue
        parent_id = parent if parent in paths else await region_for(session, code[:-2] or code)
        if parent_id == code:
            parent_id = None
        parent_path = paths.get(parent_id or "") or await _path(session, parent_id)
        path = f"{parent_path or ''}{code}/"
        session.add(
            Organisation(
                id=code,
                name=item_name(item),
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
    session: AsyncSession, ref: PlatformRef, ours: Owned, plan: TreePlan
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
                name=item_name(planned.item),
                kind=_GROUP_KIND[planned.kind],
                parent_id=parent,
                platform_id=ref.id,
            )
            session.add(row)
            ours.groups[group_id] = row
        else:
            updates.append((row, item_name(planned.item), parent))
    await session.flush()
    for row, name, parent in updates:
        row.name, row.parent_id = name, parent
    await session.flush()


async def _write_devices(
    session: AsyncSession, ref: PlatformRef, ours: Owned, plan: TreePlan
) -> None:
    new = [d for d in plan.devices if d not in ours.devices]
    taken = set((await session.scalars(select(Device.id).where(Device.id.in_(new)))).all())
    for device_id, item in plan.devices.items():
        if device_id in taken:
            plan.rejected.append((device_id, "device registered with Vigil by itself"))
            continue
        status = (item.status or "").strip().upper()
        fields = {
            "name": item_name(item),
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
    session: AsyncSession, ref: PlatformRef, ours: Owned, plan: TreePlan, regions: dict[str, str]
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
    session: AsyncSession, ours: Owned, plan: TreePlan, channel_ids: set[str]
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
