"""What an upper platform may see: its share entries resolved to channels, outward IDs and tree.

A platform's share entries name channels one by one, organisation subtrees or virtual groups
(215/216 with their sub-groups); ``share_all`` adds every channel its creator may see. Resolution
is by precedence so that an outward ID really replaces the local one: a channel shared one by one
is reachable only under its entry's outward ID (its own ID when the entry has none), even if an
organisation or group entry covers it too; other covered channels keep their own IDs. Everything
the upper platform asks about goes through :func:`resolve` or :func:`shared_channel` — a channel
missing from the result does not exist for that platform.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from vigil.catalog.scope import scope_clause
from vigil.governance.permissions import ROLE_PERMISSIONS, UNSCOPED_ROLES, Principal
from vigil.store.models import Channel, Organisation, User, UserScope, VirtualGroup
from vigil.store.models.platforms import (
    Platform,
    PlatformShare,
    ShareKind,
    virtual_group_channels,
)

__all__ = ["SharedChannel", "SharedGroup", "SharedTree", "resolve", "shared_channel"]


@dataclass(frozen=True, slots=True)
class SharedChannel:
    """One channel as the upper platform sees it.

    ``parent_id`` is the tree node it hangs under there: a virtual group (215/216), a shared
    organisation, or None (directly under Vigil); ``group_id`` is the business group (215) at
    the top of its branch, for the catalog's BusinessGroupID.
    """

    local_id: str
    outward_id: str
    parent_id: str | None
    group_id: str | None


@dataclass(frozen=True, slots=True)
class SharedGroup:
    """A tree node the upper platform sees: a virtual group or a shared organisation."""

    id: str
    name: str
    kind: str  # "business_group", "virtual_organisation" or "organisation"
    parent_id: str | None
    group_id: str | None


@dataclass(slots=True)
class SharedTree:
    """Everything shared with one platform, keyed by the IDs the platform uses."""

    channels: dict[str, SharedChannel] = field(default_factory=dict)
    groups: dict[str, SharedGroup] = field(default_factory=dict)
    by_local: dict[str, SharedChannel] = field(default_factory=dict)

    def outward_of(self, local_id: str) -> str | None:
        """The ID the platform knows a local channel by, None when not shared."""
        channel = self.by_local.get(local_id)
        return channel.outward_id if channel is not None else None


async def shared_channel(session: AsyncSession, platform: Platform, outward_id: str) -> str | None:
    """The local channel ID ``platform`` may reach under ``outward_id``; None when not shared."""
    channel = (await resolve(session, platform)).channels.get(outward_id)
    return channel.local_id if channel is not None else None


async def resolve(session: AsyncSession, platform: Platform) -> SharedTree:
    """Resolve ``platform``'s share entries (see the module docstring)."""
    entries = list(
        (
            await session.scalars(
                select(PlatformShare)
                .where(PlatformShare.platform_id == platform.id)
                .order_by(PlatformShare.id)
            )
        ).all()
    )
    tree = SharedTree()
    named: set[str] = set()
    for entry in entries:
        if entry.kind is ShareKind.channel:
            named.add(entry.target_id)
    groups = await _all_groups(session)
    for entry in entries:
        if entry.kind is ShareKind.virtual_group and entry.target_id in groups:
            _add_group_branch(tree, groups, groups[entry.target_id])
    for entry in entries:
        if entry.kind is ShareKind.channel:
            await _add_named_channel(session, tree, groups, entry)
        elif entry.kind is ShareKind.virtual_group:
            await _add_group_channels(session, tree, named, entry.target_id, groups)
        else:
            await _add_organisation(session, tree, named, groups, entry)
    if platform.share_all:
        principal = await _creator(session, platform.created_by)
        if principal is not None:
            await _add_visible(session, tree, named, principal)
    return tree


def _top_group(groups: dict[str, VirtualGroup], group_id: str | None) -> str | None:
    """The business group (root) above ``group_id``, bounded by the number of groups."""
    current = groups.get(group_id) if group_id else None
    for _ in range(len(groups)):
        if current is None or current.parent_id is None:
            break
        current = groups.get(current.parent_id)
    return current.id if current is not None else None


def _add_group_node(tree: SharedTree, groups: dict[str, VirtualGroup], group: VirtualGroup) -> None:
    if group.id not in tree.groups:
        tree.groups[group.id] = SharedGroup(
            id=group.id,
            name=group.name,
            kind=group.kind.value,
            parent_id=group.parent_id if group.parent_id in groups else None,
            group_id=_top_group(groups, group.id),
        )


def _add_group_branch(
    tree: SharedTree,
    groups: dict[str, VirtualGroup],
    group: VirtualGroup,
) -> None:
    """The group, its ancestors (the upper platform needs the path) and its descendants."""
    chain: list[VirtualGroup] = []
    current: VirtualGroup | None = group
    while current is not None and len(chain) <= len(groups):
        chain.append(current)
        current = groups.get(current.parent_id) if current.parent_id else None
    for node in chain:
        _add_group_node(tree, groups, node)
    for node in _descendants(groups, group.id):
        _add_group_node(tree, groups, node)


def _descendants(groups: dict[str, VirtualGroup], root: str) -> list[VirtualGroup]:
    found: list[VirtualGroup] = []
    frontier = {root}
    while frontier and len(found) <= len(groups):
        children = [g for g in groups.values() if g.parent_id in frontier]
        found.extend(children)
        frontier = {g.id for g in children}
    return found


async def _all_groups(session: AsyncSession) -> dict[str, VirtualGroup]:
    rows = (await session.scalars(select(VirtualGroup))).all()
    return {group.id: group for group in rows}


def _put(tree: SharedTree, channel: SharedChannel) -> None:
    """First claim on an outward ID wins; a channel already shared keeps its first place."""
    if channel.outward_id in tree.channels or channel.local_id in tree.by_local:
        return
    tree.channels[channel.outward_id] = channel
    tree.by_local[channel.local_id] = channel


async def _add_named_channel(
    session: AsyncSession,
    tree: SharedTree,
    groups: dict[str, VirtualGroup],
    entry: PlatformShare,
) -> None:
    if await session.get(Channel, entry.target_id) is None:
        return
    parent = entry.parent_group_id
    if parent is not None and parent in groups:
        _add_group_branch_up(tree, groups, groups[parent])
    elif parent is not None and parent not in tree.groups:
        parent = None
    _put(
        tree,
        SharedChannel(
            local_id=entry.target_id,
            outward_id=entry.outward_id or entry.target_id,
            parent_id=parent,
            group_id=_top_group(groups, parent),
        ),
    )


def _add_group_branch_up(
    tree: SharedTree, groups: dict[str, VirtualGroup], group: VirtualGroup
) -> None:
    current: VirtualGroup | None = group
    for _ in range(len(groups)):
        if current is None:
            break
        _add_group_node(tree, groups, current)
        current = groups.get(current.parent_id) if current.parent_id else None


async def _add_group_channels(
    session: AsyncSession,
    tree: SharedTree,
    named: set[str],
    root: str,
    groups: dict[str, VirtualGroup],
) -> None:
    if root not in groups:
        return
    ids = [root, *(g.id for g in _descendants(groups, root))]
    rows = (
        await session.execute(
            select(virtual_group_channels.c.channel_id, virtual_group_channels.c.group_id)
            .where(virtual_group_channels.c.group_id.in_(ids))
            .order_by(virtual_group_channels.c.channel_id)
        )
    ).all()
    for channel_id, group_id in rows:
        if channel_id not in named:
            _put(
                tree,
                SharedChannel(channel_id, channel_id, group_id, _top_group(groups, group_id)),
            )


async def _add_organisation(
    session: AsyncSession,
    tree: SharedTree,
    named: set[str],
    groups: dict[str, VirtualGroup],
    entry: PlatformShare,
) -> None:
    """The organisation and its sub-organisations as nodes, their channels under them."""
    root = await session.get(Organisation, entry.target_id)
    if root is None:
        return
    parent = entry.parent_group_id if entry.parent_group_id in groups else None
    if parent is not None:
        _add_group_branch_up(tree, groups, groups[parent])
    top = _top_group(groups, parent)
    organisations = (
        await session.scalars(
            select(Organisation)
            .where(Organisation.path.startswith(root.path, autoescape=True))
            .order_by(Organisation.path)
        )
    ).all()
    for org in organisations:
        if org.id not in tree.groups:
            org_parent = parent if org.id == root.id else org.parent_id
            tree.groups[org.id] = SharedGroup(org.id, org.name, "organisation", org_parent, top)
    channels = (
        await session.execute(
            select(Channel.id, Channel.organisation_id)
            .join(Organisation, Organisation.id == Channel.organisation_id)
            .where(Organisation.path.startswith(root.path, autoescape=True))
            .order_by(Channel.id)
        )
    ).all()
    for channel_id, org_id in channels:
        if channel_id not in named:
            _put(tree, SharedChannel(channel_id, channel_id, org_id, top))


async def _creator(session: AsyncSession, user_id: int | None) -> Principal | None:
    """The creating user as a principal; None when the user is gone (share nothing then)."""
    if user_id is None:
        return None
    user = await session.get(User, user_id)
    if user is None or user.disabled:
        return None
    paths = list(
        (
            await session.scalars(
                select(Organisation.path)
                .join(UserScope, UserScope.organisation_id == Organisation.id)
                .where(UserScope.user_id == user.id)
            )
        ).all()
    )
    scopes = None if not paths and user.role in UNSCOPED_ROLES else tuple(paths)
    return Principal(user.id, user.username, user.role, ROLE_PERMISSIONS[user.role], scopes)


async def _add_visible(
    session: AsyncSession, tree: SharedTree, named: set[str], principal: Principal
) -> None:
    rows = (
        await session.scalars(
            select(Channel.id)
            .outerjoin(Organisation, Organisation.id == Channel.organisation_id)
            .where(scope_clause(principal, Organisation.path))
            .order_by(Channel.id)
        )
    ).all()
    for channel_id in rows:
        if channel_id not in named:
            _put(tree, SharedChannel(channel_id, channel_id, None, None))
