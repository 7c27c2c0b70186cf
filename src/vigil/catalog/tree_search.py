"""Search the resource tree on the server: organisations, devices and channels by name or ID.

A name matches when it contains the query (any case); a query of digits also matches IDs that
contain it. Matches come a bounded page at a time, organisations first, then devices, then
channels, each by ID (the same ``(rank, id)`` keys as the tree's levels), and each with the chain
of nodes the console expands to reveal it: organisations from the caller's top one down, then the
device for a channel reached through its device.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from vigil.catalog.scope import scope_clause, scoped_channels
from vigil.catalog.tree import (
    After,
    TreeNode,
    channel_rows,
    device_rows,
    organisation_rows,
    walk_level,
)
from vigil.catalog.tree_counts import ChannelCounts
from vigil.catalog.tree_nodes import UNFILED_ID
from vigil.governance.permissions import Permission, Principal
from vigil.store.database import Database
from vigil.store.models import Channel, Device, Organisation

__all__ = ["PathStep", "SearchHit", "TreeSearch"]


@dataclass(frozen=True, slots=True)
class PathStep:
    """One ancestor of a search hit that the console expands to show it."""

    kind: str
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A tree row that matches the query, with the ancestors that lead to it."""

    node: TreeNode
    path: list[PathStep]
    """The ancestors to expand, root first (the hit itself is not in it)."""

    @property
    def rank(self) -> int:
        return self.node.rank

    @property
    def id(self) -> str:
        return self.node.id


def _matches(model: Any, query: str) -> ColumnElement[bool]:
    by_name: ColumnElement[bool] = model.name.icontains(query, autoescape=True)
    if query.isdigit():
        return or_(by_name, model.id.contains(query, autoescape=True))
    return by_name


class TreeSearch:
    """Finds organisations, devices and channels by name or ID, a page at a time."""

    def __init__(self, db: Database, counts: ChannelCounts) -> None:
        self._db = db
        self._counts = counts

    async def search(
        self, principal: Principal, query: str, after: After | None, limit: int
    ) -> list[SearchHit]:
        principal.require(Permission.catalog_read)
        in_scope = scope_clause(principal, Organisation.path)
        devices_found: list[Device] = []
        channels_found: list[Channel] = []
        levels = (
            organisation_rows(
                select(Organisation).where(_matches(Organisation, query), in_scope),
                principal,
                self._counts,
            ),
            device_rows(
                select(Device)
                .outerjoin(Organisation, Organisation.id == Device.organisation_id)
                .where(_matches(Device, query), in_scope),
                principal,
                devices_found,
            ),
            channel_rows(
                scoped_channels(principal).where(_matches(Channel, query)), channels_found
            ),
        )
        async with self._db.session() as session:
            nodes = await walk_level(session, levels, after, limit)
            devices_of = {d.id: d for d in devices_found}
            wanted = {c.device_id for c in channels_found} - set(devices_of)
            if wanted:
                found = await session.scalars(select(Device).where(Device.id.in_(wanted)))
                devices_of.update((d.id, d) for d in found)
            org_of = {c.id: c.organisation_id for c in channels_found}
            org_of.update((d.id, d.organisation_id) for d in devices_of.values())
            by_id = {c.id: c for c in channels_found}
            orgs = await _org_chains(session, [*org_of.values(), *(n.id for n in nodes)])
            return [
                SearchHit(node, _path(principal, node, orgs, devices_of, by_id)) for node in nodes
            ]


async def _org_chains(session: AsyncSession, ids: Iterable[str | None]) -> dict[str, Organisation]:
    """The organisations named and every ancestor of theirs, by ID."""
    named = {i for i in ids if i is not None}
    if not named:
        return {}
    first = (await session.scalars(select(Organisation).where(Organisation.id.in_(named)))).all()
    ancestors = {a for org in first for a in org.path.split("/") if a} - named
    found = {org.id: org for org in first}
    if ancestors:
        more = await session.scalars(select(Organisation).where(Organisation.id.in_(ancestors)))
        found.update((org.id, org) for org in more)
    return found


def _org_steps(
    principal: Principal, org_id: str | None, orgs: dict[str, Organisation]
) -> list[PathStep] | None:
    """The visible chain down to ``org_id`` inclusive; None when the caller cannot see it."""
    if org_id is None:
        return [PathStep("unfiled", UNFILED_ID, "")] if principal.scope_paths is None else None
    org = orgs.get(org_id)
    if org is None or not principal.sees_org_path(org.path):
        return None
    chain = [orgs[a] for a in org.path.split("/") if a in orgs]
    return [
        PathStep("organisation", o.id, o.name) for o in chain if principal.sees_org_path(o.path)
    ]


def _path(
    principal: Principal,
    node: TreeNode,
    orgs: dict[str, Organisation],
    devices: dict[str, Device],
    channels: dict[str, Channel],
) -> list[PathStep]:
    if node.kind == "organisation":
        return (_org_steps(principal, node.id, orgs) or [])[:-1]
    if node.kind == "device":
        return _org_steps(principal, devices[node.id].organisation_id, orgs) or []
    channel = channels[node.id]
    device = devices.get(channel.device_id)
    if device is not None:
        through_device = _org_steps(principal, device.organisation_id, orgs)
        if through_device is not None:
            return [*through_device, PathStep("device", device.id, device.name)]
    return _org_steps(principal, channel.organisation_id, orgs) or []
