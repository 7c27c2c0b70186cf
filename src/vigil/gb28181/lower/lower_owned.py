"""What one lower platform owns in the store, as its catalog import reads and changes it.

:class:`PlatformRef` names the platform (its row, its registered device, its organisation);
:class:`Owned` is what it already holds — its virtual groups and devices, loaded at the start of
a write, and queries for its channels — so the writes (:mod:`.lower_writes`) and the deletes
(:mod:`.lower_import`) work on one picture of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from vigil.gb28181.lower.lower_tree import NodeKind
from vigil.protocols.manscdp import CatalogItem
from vigil.store.models import Channel, Device, VirtualGroup
from vigil.store.models.platforms import VirtualGroupKind, virtual_group_channels

__all__ = ["Owned", "PlatformRef", "item_name"]


@dataclass(frozen=True, slots=True)
class PlatformRef:
    """A lower platform as the importer needs it: its row and its registered device."""

    id: int
    device_id: str
    organisation_id: str | None


def item_name(item: CatalogItem, limit: int = 128) -> str:
    """The item's name without control characters, cut to ``limit``; its ID when it has none."""
    value = "".join(ch for ch in (item.name or "") if ch >= " " and ch != "\x7f").strip()
    return value[:limit] or item.device_id


class Owned:
    """What this platform already owns in the store, loaded at the start of a write."""

    def __init__(self, groups: dict[str, VirtualGroup], devices: dict[str, Device]) -> None:
        self.groups = groups
        self.devices = devices

    @classmethod
    async def load(cls, session: AsyncSession, ref: PlatformRef) -> Owned:
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
