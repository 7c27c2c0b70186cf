"""The resource tree a level at a time: the roots, then the children of one node on demand.

A level mixes kinds (organisations, then devices, then channels filed there on their own), each
kind sorted by ID. A page is ``limit`` rows after a key ``(rank, id)``: the kind's rank within
the level and the last ID shown, so paging stays an indexed range scan however large the level.

Organisation
 ├── child organisations              rank 0
 ├── devices filed here               rank 1
 └── channels filed here whose device the caller cannot see (scoped callers)   rank 2
Device ── its channels                 rank 0
Group (215/216) ── subgroups (0), member channels (1)
Unfiled (unscoped callers only) ── devices under no organisation (0)
Roots: the caller's top organisations (0), unfiled (1), business groups and orphan groups (2)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from vigil.catalog.scope import scoped_channels, scoped_members
from vigil.catalog.scoped import ScopedCatalog
from vigil.catalog.tree_counts import ChannelCounts
from vigil.catalog.tree_nodes import (
    DEVICE_ORG,
    UNFILED_ID,
    TreeNode,
    channel_online,
    describe_channels,
    describe_devices,
    describe_groups,
    describe_organisations,
    loose_channels,
)
from vigil.errors import missing
from vigil.governance.permissions import Permission, Principal
from vigil.store.database import Database
from vigil.store.models import Channel, Device, Organisation, VirtualGroup

__all__ = [
    "After",
    "ResourceTree",
    "TreeNode",
    "channel_rows",
    "device_rows",
    "group_rows",
    "organisation_rows",
    "rows_after",
    "top_scopes",
    "walk_level",
]

After = tuple[int, str]
"""The key of the last row shown: (rank of its kind within the level, its ID)."""

Fetch = Callable[[AsyncSession, int, str | None, int], Awaitable[list[TreeNode]]]
"""Rows of one kind: (session, rank, after ID, how many) → rows in ID order."""


def top_scopes(paths: Sequence[str]) -> list[str]:
    """Scope paths that lie under no other: the roots of a scoped caller's tree."""
    return sorted(p for p in paths if not any(p != q and p.startswith(q) for q in paths))


async def rows_after(
    session: AsyncSession, query: Select[Any], column: Any, after: str | None, limit: int
) -> Sequence[Any]:
    """Up to ``limit`` of the rows ``query`` selects, in ``column`` order, after ``after``."""
    if after is not None:
        query = query.where(column > after)
    return (await session.scalars(query.order_by(column).limit(limit))).all()


def organisation_rows(query: Select[Any], principal: Principal, counts: ChannelCounts) -> Fetch:
    """The organisations ``query`` selects, as rows of a level."""

    async def fetch(s: AsyncSession, rank: int, start: str | None, n: int) -> list[TreeNode]:
        rows = await rows_after(s, query, Organisation.id, start, n)
        return await describe_organisations(s, principal, counts, rank, rows)

    return fetch


def device_rows(
    query: Select[Any], principal: Principal, kept: list[Device] | None = None
) -> Fetch:
    """The devices ``query`` selects, as rows of a level; each one fetched is also added to
    ``kept`` when given."""

    async def fetch(s: AsyncSession, rank: int, start: str | None, n: int) -> list[TreeNode]:
        rows = await rows_after(s, query, Device.id, start, n)
        if kept is not None:
            kept.extend(rows)
        return await describe_devices(s, principal, rank, rows)

    return fetch


def channel_rows(query: Select[Any], kept: list[Channel] | None = None) -> Fetch:
    """The channels ``query`` selects, as rows of a level; each one fetched is also added to
    ``kept`` when given."""

    async def fetch(s: AsyncSession, rank: int, start: str | None, n: int) -> list[TreeNode]:
        rows = await rows_after(s, query, Channel.id, start, n)
        if kept is not None:
            kept.extend(rows)
        return describe_channels(rank, rows)

    return fetch


def group_rows(query: Select[Any], principal: Principal) -> Fetch:
    """The virtual groups ``query`` selects, as rows of a level."""

    async def fetch(s: AsyncSession, rank: int, start: str | None, n: int) -> list[TreeNode]:
        rows = await rows_after(s, query, VirtualGroup.id, start, n)
        return await describe_groups(s, principal, rank, rows)

    return fetch


async def walk_level(
    session: AsyncSession, sections: Sequence[Fetch], after: After | None, limit: int
) -> list[TreeNode]:
    """Up to ``limit`` rows of a level after ``after``, kind by kind."""
    nodes: list[TreeNode] = []
    for rank, fetch in enumerate(sections):
        if after is not None and rank < after[0]:
            continue
        start = after[1] if after is not None and rank == after[0] else None
        nodes += await fetch(session, rank, start, limit - len(nodes))
        if len(nodes) >= limit:
            break
    return nodes


class ResourceTree:
    """Reads of the tree for the console; every read is scoped to the caller's organisations."""

    def __init__(self, db: Database, counts: ChannelCounts) -> None:
        self._db = db
        self._counts = counts

    async def roots(self, principal: Principal, after: After | None, limit: int) -> list[TreeNode]:
        principal.require(Permission.catalog_read)
        tops = select(Organisation)
        if principal.scope_paths is None:
            tops = tops.where(Organisation.parent_id.is_(None))
        else:
            tops = tops.where(Organisation.path.in_(top_scopes(principal.scope_paths)))

        async def unfiled(s: AsyncSession, rank: int, start: str | None, n: int) -> list[TreeNode]:
            if principal.scope_paths is not None or start is not None or n < 1:
                return []
            return await self._unfiled_node(s, rank)

        parent = VirtualGroup.__table__.alias("parent")
        orphan = or_(
            VirtualGroup.parent_id.is_(None),
            ~exists().where(parent.c.id == VirtualGroup.parent_id),
        )
        levels = (
            organisation_rows(tops, principal, self._counts),
            unfiled,
            group_rows(select(VirtualGroup).where(orphan), principal),
        )
        async with self._db.session() as session:
            return await walk_level(session, levels, after, limit)

    async def organisation_children(
        self, principal: Principal, org_id: str, after: After | None, limit: int
    ) -> list[TreeNode]:
        principal.require(Permission.catalog_read)
        loose = (
            select(Channel)
            .join(Device, Device.id == Channel.device_id)
            .outerjoin(DEVICE_ORG, DEVICE_ORG.id == Device.organisation_id)
            .where(loose_channels(principal, org_id))
        )
        levels = (
            organisation_rows(
                select(Organisation).where(Organisation.parent_id == org_id),
                principal,
                self._counts,
            ),
            device_rows(select(Device).where(Device.organisation_id == org_id), principal),
            channel_rows(loose),
        )
        async with self._db.session() as session:
            org = await session.get(Organisation, org_id)
            if org is None:
                raise missing("organisation", org_id)
            principal.check_org_path(org.path, "organisation", org_id)
            return await walk_level(session, levels, after, limit)

    async def device_children(
        self, principal: Principal, device_id: str, after: After | None, limit: int
    ) -> list[TreeNode]:
        principal.require(Permission.catalog_read)
        channels = scoped_channels(principal).where(Channel.device_id == device_id)
        async with self._db.session() as session:
            device = await session.get(Device, device_id)
            if device is None:
                raise missing("device", device_id)
            path = await ScopedCatalog.org_path(session, device.organisation_id)
            principal.check_org_path(path, "device", device_id)
            return await walk_level(session, (channel_rows(channels),), after, limit)

    async def group_children(
        self, principal: Principal, group_id: str, after: After | None, limit: int
    ) -> list[TreeNode]:
        principal.require(Permission.catalog_read)
        levels = (
            group_rows(select(VirtualGroup).where(VirtualGroup.parent_id == group_id), principal),
            channel_rows(scoped_members(principal, group_id)),
        )
        async with self._db.session() as session:
            if await session.get(VirtualGroup, group_id) is None:
                raise missing("virtual_group", group_id)
            return await walk_level(session, levels, after, limit)

    async def unfiled_children(
        self, principal: Principal, after: After | None, limit: int
    ) -> list[TreeNode]:
        """Devices filed under no organisation, and channels so filed on other devices."""
        principal.require(Permission.catalog_read)
        principal.check_org_path(None, "organisation", UNFILED_ID)
        devices = device_rows(select(Device).where(Device.organisation_id.is_(None)), principal)
        async with self._db.session() as session:
            return await walk_level(session, (devices,), after, limit)

    async def children(
        self, principal: Principal, kind: str, id: str, after: After | None, limit: int
    ) -> list[TreeNode]:
        """The children of the node of ``kind`` (a row's kind) and ``id``."""
        if kind == "organisation":
            return await self.organisation_children(principal, id, after, limit)
        if kind == "device":
            return await self.device_children(principal, id, after, limit)
        if kind == "group":
            return await self.group_children(principal, id, after, limit)
        if kind == "unfiled":
            return await self.unfiled_children(principal, after, limit)
        return []

    @staticmethod
    async def _unfiled_node(session: AsyncSession, rank: int) -> list[TreeNode]:
        """The unfiled node, when a device is filed under no organisation (unscoped callers)."""
        devices = await session.scalar(
            select(func.count()).select_from(Device).where(Device.organisation_id.is_(None))
        )
        if not devices:
            return []
        rows = await session.execute(
            select(Channel.status, func.count())
            .join(Device, Device.id == Channel.device_id)
            .where(Device.organisation_id.is_(None))
            .group_by(Channel.status)
        )
        counted = [(status, int(n)) for status, n in rows]
        total = sum(n for _, n in counted)
        online = sum(n for status, n in counted if channel_online(status))
        return [TreeNode(rank, "unfiled", UNFILED_ID, "", None, int(devices), total, online)]
