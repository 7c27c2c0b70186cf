"""What one row of the resource tree says: its kind, ID, name, status and counts.

Rows are built a page at a time: each ``describe_*`` function takes the page's ORM rows and asks
the database for their counts in one grouped query per kind of count, never one per row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from vigil.catalog.scope import scope_clause
from vigil.catalog.tree_counts import ChannelCounts, Filed
from vigil.governance.permissions import Principal
from vigil.store.models import Channel, Device, Organisation, VirtualGroup
from vigil.store.models.platforms import virtual_group_channels

__all__ = [
    "DEVICE_ORG",
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


async def _status_counts(session: AsyncSession, query: Any) -> dict[str, list[int]]:
    """``{key: [channels, online]}`` from a query selecting (key, status, count) grouped by both
    (grouping by the raw status keeps the count on a covering index; case is folded here)."""
    counts: dict[str, list[int]] = {}
    for key, status, n in await session.execute(query):
        pair = counts.setdefault(key, [0, 0])
        pair[0] += n
        if channel_online(status):
            pair[1] += n
    return counts


def _common_path(paths: Sequence[str]) -> str:
    """The longest run of whole path segments every path starts with ("" when none)."""
    first, last = min(paths), max(paths)
    size = 0
    while size < len(first) and first[size] == last[size]:
        size += 1
    return first[: first.rfind("/", 0, size) + 1]


def _chunks(items: Sequence[str], size: int = 500) -> list[Sequence[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def loose_channels(principal: Principal, org_id: str) -> ColumnElement[bool]:
    """Channels filed at ``org_id`` whose device the caller cannot see (a scoped caller's camera
    on a device filed outside its scope): they hang under the organisation themselves. The query
    joins ``Device`` and ``DEVICE_ORG`` (the device's organisation, outer)."""
    if principal.scope_paths is None:
        return false()
    device_unseen = or_(Device.organisation_id.is_(None), ~scope_clause(principal, DEVICE_ORG.path))
    return (Channel.organisation_id == org_id) & device_unseen


DEVICE_ORG = aliased(Organisation)
"""The organisation of a channel's device, beside the channel's own in one query."""


async def describe_organisations(
    session: AsyncSession,
    principal: Principal,
    counts: ChannelCounts,
    rank: int,
    orgs: Sequence[Organisation],
) -> list[TreeNode]:
    """Organisation rows; everything under a visible organisation is visible (scopes are
    subtrees), so their counts need no scope condition.

    The organisations below the page's are read once (there are few), and the channels filed
    under them, counted per (organisation, device, status) (see ``ChannelCounts``), are summed
    here up to each row: the subtree's channels and, for the row's own organisation, the channels
    whose device the caller cannot see (its loose channels)."""
    if not orgs:
        return []
    above, child_orgs = await _organisations_below(session, {org.path: org.id for org in orgs})
    ids = [org.id for org in orgs]
    devices_at = await _devices_at(session, ids)
    totals = {org_id: [0, 0] for org_id in ids}
    filed = await counts.filed(session)
    for filed_at, tops_above in above.items():
        for _, status, n in filed.get(filed_at, ()):
            online = n if channel_online(status) else 0
            for top in tops_above:
                totals[top][0] += n
                totals[top][1] += online
    loose = await _loose_counts(session, principal, filed, ids)
    return [
        TreeNode(
            rank,
            "organisation",
            org.id,
            org.name,
            None,
            child_orgs[org.id] + len(devices_at.get(org.id, ())) + loose[org.id],
            *totals[org.id],
        )
        for org in orgs
    ]


async def _organisations_below(
    session: AsyncSession, tops: dict[str, str]
) -> tuple[dict[str, list[str]], Counter[str]]:
    """For the rows ``tops`` (path → ID): each organisation at or below them with the rows it
    counts towards, and each row's number of child organisations."""
    common = _common_path(list(tops))
    below = (
        await session.execute(
            select(Organisation.id, Organisation.path).where(
                Organisation.path.startswith(common, autoescape=True)
            )
        )
    ).all()
    above: dict[str, list[str]] = {}  # an organisation → the rows it counts towards
    child_orgs: Counter[str] = Counter()
    for org_id, path in below:
        parts = path.split("/")[:-1]
        prefix = ""
        for part in parts:
            prefix += f"{part}/"
            if prefix in tops:
                above.setdefault(org_id, []).append(tops[prefix])
        if len(parts) > 1 and parts[-2] in tops.values():
            child_orgs[parts[-2]] += 1
    return above, child_orgs


async def _devices_at(session: AsyncSession, ids: Sequence[str]) -> dict[str, set[str]]:
    """The devices filed directly under each organisation of ``ids``."""
    devices_at: dict[str, set[str]] = {}
    for chunk in _chunks(ids):
        here = await session.execute(
            select(Device.organisation_id, Device.id).where(Device.organisation_id.in_(chunk))
        )
        for holder, device in here:
            devices_at.setdefault(str(holder), set()).add(device)
    return devices_at


async def _loose_counts(
    session: AsyncSession, principal: Principal, filed: Filed, ids: Sequence[str]
) -> Counter[str]:
    """Per organisation of ``ids``: its channels on devices the caller cannot see."""
    loose: Counter[str] = Counter()
    if principal.scope_paths is None:
        return loose
    device_ids = list({device for org_id in ids for device, _, _ in filed.get(org_id, ())})
    hidden: set[str] = set()
    for chunk in _chunks(device_ids):
        rows = await session.execute(
            select(Device.id, Organisation.path)
            .outerjoin(Organisation, Organisation.id == Device.organisation_id)
            .where(Device.id.in_(chunk))
        )
        hidden.update(device for device, path in rows if not principal.sees_org_path(path))
    for org_id in ids:
        loose[org_id] = sum(n for device, _, n in filed.get(org_id, ()) if device in hidden)
    return loose


async def describe_devices(
    session: AsyncSession, principal: Principal, rank: int, devices: Sequence[Device]
) -> list[TreeNode]:
    ids = [device.id for device in devices]
    if not ids:
        return []
    query = (
        select(Channel.device_id, Channel.status, func.count())
        .where(Channel.device_id.in_(ids))
        .group_by(Channel.device_id, Channel.status)
    )
    if principal.scope_paths is not None:  # else read from the (device, status) index alone
        query = query.outerjoin(Organisation, Organisation.id == Channel.organisation_id).where(
            scope_clause(principal, Organisation.path)
        )
    counts = await _status_counts(session, query)
    nodes = []
    for device in devices:
        total, online = counts.get(device.id, [0, 0])
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
    grouped = await session.execute(
        select(VirtualGroup.parent_id, func.count())
        .where(VirtualGroup.parent_id.in_(ids))
        .group_by(VirtualGroup.parent_id)
    )
    subgroups: dict[str, int] = {str(parent): int(n) for parent, n in grouped.all()}
    members = await _status_counts(
        session,
        select(virtual_group_channels.c.group_id, Channel.status, func.count())
        .join(Channel, Channel.id == virtual_group_channels.c.channel_id)
        .outerjoin(Organisation, Organisation.id == Channel.organisation_id)
        .where(
            virtual_group_channels.c.group_id.in_(ids), scope_clause(principal, Organisation.path)
        )
        .group_by(virtual_group_channels.c.group_id, Channel.status),
    )
    nodes = []
    for group in groups:
        total, online = members.get(group.id, [0, 0])
        children = subgroups.get(group.id, 0) + total
        nodes.append(TreeNode(rank, "group", group.id, group.name, None, children, total, online))
    return nodes
