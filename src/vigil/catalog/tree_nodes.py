"""What one row of the resource tree says: its kind, ID, name, status and counts.

Rows are built a page at a time: each ``describe_*`` function takes the page's ORM rows and asks
the database for their counts in one grouped query per kind of count, never one per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Integer, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from vigil.catalog.scope import scope_clause
from vigil.governance.permissions import Principal
from vigil.store.models import Channel, Device, Organisation, VirtualGroup
from vigil.store.models.platforms import virtual_group_channels

__all__ = [
    "ONLINE",
    "UNFILED_ID",
    "TreeNode",
    "channel_online",
    "describe_channels",
    "describe_devices",
    "describe_groups",
    "describe_organisations",
    "loose_channels",
]

UNFILED_ID = "unfiled"
"""The ID of the node gathering devices filed under no organisation (unscoped callers only)."""

ONLINE = ("online", "on")


@dataclass(frozen=True, slots=True)
class TreeNode:
    """One row: ``rank`` orders the kinds within a level (the cursor's first half)."""

    rank: int
    kind: str
    id: str
    name: str
    online: bool | None
    children: int
    """Direct children the caller sees (0: nothing to expand)."""
    channels: int
    """Channels at or below this node that the caller sees."""
    channels_online: int


def channel_online(status: str) -> bool:
    return status.lower() in ONLINE


def _online_sum() -> Any:
    return func.coalesce(
        func.sum(case((func.lower(Channel.status).in_(ONLINE), 1), else_=0)), 0
    ).cast(Integer)


async def _grouped(session: AsyncSession, query: Any) -> dict[str, tuple[int, ...]]:
    """``{key: (counts…)}`` from a query selecting a key then counts, grouped by the key."""
    return {row[0]: tuple(int(v or 0) for v in row[1:]) for row in await session.execute(query)}


def loose_channels(org_id: str | None) -> ColumnElement[bool]:
    """Channels filed at ``org_id`` (None: at no organisation) whose device is filed elsewhere:
    they hang under that organisation themselves, since their device's row is not there."""
    filed = (
        Channel.organisation_id.is_(None) if org_id is None else Channel.organisation_id == org_id
    )
    device_elsewhere = (
        Device.organisation_id.is_not(None)
        if org_id is None
        else or_(Device.organisation_id.is_(None), Device.organisation_id != org_id)
    )
    return filed & device_elsewhere


async def describe_organisations(
    session: AsyncSession, rank: int, orgs: Sequence[Organisation]
) -> list[TreeNode]:
    """Organisation rows; everything under a visible organisation is visible (scopes are
    subtrees), so their counts need no scope condition."""
    ids = [org.id for org in orgs]
    if not ids:
        return []
    top, below = aliased(Organisation), aliased(Organisation)
    under = await _grouped(
        session,
        select(top.id, func.count(Channel.id), _online_sum())
        .join(below, below.path.startswith(top.path))
        .join(Channel, Channel.organisation_id == below.id)
        .where(top.id.in_(ids))
        .group_by(top.id),
    )
    child_orgs = await _grouped(
        session,
        select(Organisation.parent_id, func.count())
        .where(Organisation.parent_id.in_(ids))
        .group_by(Organisation.parent_id),
    )
    devices = await _grouped(
        session,
        select(Device.organisation_id, func.count())
        .where(Device.organisation_id.in_(ids))
        .group_by(Device.organisation_id),
    )
    loose = await _grouped(
        session,
        select(Channel.organisation_id, func.count())
        .join(Device, Device.id == Channel.device_id)
        .where(
            Channel.organisation_id.in_(ids),
            or_(
                Device.organisation_id.is_(None), Device.organisation_id != Channel.organisation_id
            ),
        )
        .group_by(Channel.organisation_id),
    )
    nodes = []
    for org in orgs:
        total, online = under.get(org.id, (0, 0))
        children = sum(table.get(org.id, (0,))[0] for table in (child_orgs, devices, loose))
        nodes.append(
            TreeNode(rank, "organisation", org.id, org.name, None, children, total, online)
        )
    return nodes


async def describe_devices(
    session: AsyncSession, principal: Principal, rank: int, devices: Sequence[Device]
) -> list[TreeNode]:
    ids = [device.id for device in devices]
    if not ids:
        return []
    counts = await _grouped(
        session,
        select(Channel.device_id, func.count(Channel.id), _online_sum())
        .outerjoin(Organisation, Organisation.id == Channel.organisation_id)
        .where(Channel.device_id.in_(ids), scope_clause(principal, Organisation.path))
        .group_by(Channel.device_id),
    )
    nodes = []
    for device in devices:
        total, online = counts.get(device.id, (0, 0))
        nodes.append(
            TreeNode(rank, "device", device.id, device.name, device.online, total, total, online)
        )
    return nodes


def describe_channels(rank: int, channels: Sequence[Channel]) -> list[TreeNode]:
    return [
        TreeNode(
            rank,
            "channel",
            channel.id,
            channel.name,
            channel_online(channel.status),
            0,
            1,
            int(channel_online(channel.status)),
        )
        for channel in channels
    ]


async def describe_groups(
    session: AsyncSession, principal: Principal, rank: int, groups: Sequence[VirtualGroup]
) -> list[TreeNode]:
    """Group rows; their channel counts are the members the caller sees, not their subgroups'."""
    ids = [group.id for group in groups]
    if not ids:
        return []
    subgroups = await _grouped(
        session,
        select(VirtualGroup.parent_id, func.count())
        .where(VirtualGroup.parent_id.in_(ids))
        .group_by(VirtualGroup.parent_id),
    )
    members = await _grouped(
        session,
        select(virtual_group_channels.c.group_id, func.count(Channel.id), _online_sum())
        .join(Channel, Channel.id == virtual_group_channels.c.channel_id)
        .outerjoin(Organisation, Organisation.id == Channel.organisation_id)
        .where(
            virtual_group_channels.c.group_id.in_(ids), scope_clause(principal, Organisation.path)
        )
        .group_by(virtual_group_channels.c.group_id),
    )
    nodes = []
    for group in groups:
        total, online = members.get(group.id, (0, 0))
        children = subgroups.get(group.id, (0,))[0] + total
        nodes.append(TreeNode(rank, "group", group.id, group.name, None, children, total, online))
    return nodes
