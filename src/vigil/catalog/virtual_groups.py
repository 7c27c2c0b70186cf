"""Virtual groups: business groups (215) and the virtual organisations (216) beneath them.

They arrange channels independently of the organisation tree (by theme, by task, by the tree an
upper platform wants to see). A business group is always a root; a virtual organisation always
has a parent. Group nodes are platform-wide, so managing them needs an unscoped caller; adding a
channel to a group needs that channel to be within the caller's scope.
"""

from __future__ import annotations

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from vigil.bus import CatalogChanged, EventBus
from vigil.catalog.ids import parse_id
from vigil.catalog.scope import scoped_members
from vigil.catalog.scoped import ScopedCatalog
from vigil.catalog.tree import rows_after
from vigil.errors import Forbidden, Invalid, already_exists, missing
from vigil.governance.permissions import Permission, Principal
from vigil.store.database import Database
from vigil.store.models import Channel, VirtualGroup, VirtualGroupKind
from vigil.store.models.platforms import virtual_group_channels

__all__ = ["VirtualGroupKind", "VirtualGroupService"]

KIND_BY_TYPE = {215: VirtualGroupKind.business_group, 216: VirtualGroupKind.virtual_organisation}


def kind_of(group_id: str) -> VirtualGroupKind:
    """The kind a group ID's type code says, or Invalid naming the rule."""
    type_code = parse_id(group_id, "virtual group ID").type_code
    if type_code not in KIND_BY_TYPE:
        raise Invalid(
            f"virtual group ID {group_id!r}: type code {type_code:03d} is neither a business "
            "group (215) nor a virtual organisation (216)",
            code="id.group_type",
            type=f"{type_code:03d}",
        )
    return KIND_BY_TYPE[type_code]


class VirtualGroupService:
    """Manages business groups and virtual organisations, and the channels put into them."""

    def __init__(self, db: Database, bus: EventBus) -> None:
        self._db = db
        self._bus = bus

    async def create(
        self, principal: Principal, id: str, name: str, parent_id: str | None
    ) -> VirtualGroup:
        self._require_manage(principal)
        kind = kind_of(id)
        if kind is VirtualGroupKind.business_group and parent_id is not None:
            raise Invalid(
                "a business group (215) is a root and has no parent", code="group.root_parent"
            )
        if kind is VirtualGroupKind.virtual_organisation and parent_id is None:
            raise Invalid(
                "a virtual organisation (216) sits under a business group or another 216",
                code="group.needs_parent",
            )
        async with self._db.session() as session, session.begin():
            if await session.get(VirtualGroup, id) is not None:
                raise already_exists("virtual_group", id)
            if parent_id is not None and await session.get(VirtualGroup, parent_id) is None:
                raise missing("virtual_group", parent_id, Invalid, "parent")
            group = VirtualGroup(id=id, name=name, kind=kind, parent_id=parent_id)
            session.add(group)
        await self._bus.publish(CatalogChanged(entity="virtual_group", id=id, op="created"))
        return group

    async def rename(self, principal: Principal, id: str, name: str) -> VirtualGroup:
        self._require_manage(principal)
        async with self._db.session() as session, session.begin():
            group = await self._load(session, id)
            group.name = name
        await self._bus.publish(CatalogChanged(entity="virtual_group", id=id, op="updated"))
        return group

    async def delete(self, principal: Principal, id: str) -> None:
        """Delete a group with its subtree; the channels themselves stay."""
        self._require_manage(principal)
        async with self._db.session() as session, session.begin():
            await session.delete(await self._load(session, id))
        await self._bus.publish(CatalogChanged(entity="virtual_group", id=id, op="deleted"))

    async def get(self, principal: Principal, id: str) -> VirtualGroup:
        principal.require(Permission.catalog_read)
        async with self._db.session() as session:
            return await self._load(session, id)

    async def page(self, principal: Principal, after: str | None, limit: int) -> list[VirtualGroup]:
        principal.require(Permission.catalog_read)
        query = select(VirtualGroup).order_by(VirtualGroup.id).limit(limit)
        if after is not None:
            query = query.where(VirtualGroup.id > after)
        async with self._db.session() as session:
            return list((await session.scalars(query)).all())

    async def add_channels(self, principal: Principal, id: str, channel_ids: list[str]) -> None:
        principal.require(Permission.catalog_write)
        async with self._db.session() as session, session.begin():
            await self._load(session, id)
            for channel_id in channel_ids:
                channel = await session.get(Channel, channel_id)
                if channel is None:
                    raise missing("channel", channel_id, Invalid)
                path = await ScopedCatalog.org_path(session, channel.organisation_id)
                principal.check_org_path(path, "channel", channel_id)
            have = set(
                (
                    await session.scalars(
                        select(virtual_group_channels.c.channel_id).where(
                            virtual_group_channels.c.group_id == id
                        )
                    )
                ).all()
            )
            new = [
                {"group_id": id, "channel_id": c}
                for c in dict.fromkeys(channel_ids)
                if c not in have
            ]
            if new:
                await session.execute(insert(virtual_group_channels), new)
        await self._bus.publish(CatalogChanged(entity="virtual_group", id=id, op="updated"))

    async def remove_channel(self, principal: Principal, id: str, channel_id: str) -> None:
        principal.require(Permission.catalog_write)
        async with self._db.session() as session, session.begin():
            await self._load(session, id)
            channel = await session.get(Channel, channel_id)
            if channel is not None:
                path = await ScopedCatalog.org_path(session, channel.organisation_id)
                principal.check_org_path(path, "channel", channel_id)
            await session.execute(
                delete(virtual_group_channels).where(
                    virtual_group_channels.c.group_id == id,
                    virtual_group_channels.c.channel_id == channel_id,
                )
            )
        await self._bus.publish(CatalogChanged(entity="virtual_group", id=id, op="updated"))

    async def channels(
        self, principal: Principal, id: str, after: str | None, limit: int
    ) -> list[Channel]:
        """The group's channels that the caller may see."""
        principal.require(Permission.catalog_read)
        async with self._db.session() as session:
            await self._load(session, id)
            members = scoped_members(principal, id)
            return list(await rows_after(session, members, Channel.id, after, limit))

    @staticmethod
    def _require_manage(principal: Principal) -> None:
        principal.require(Permission.catalog_write)
        if principal.scope_paths is not None:
            raise Forbidden(
                "virtual groups are platform-wide; only unscoped users manage them",
                code="group.unscoped_only",
            )

    @staticmethod
    async def _load(session: AsyncSession, id: str) -> VirtualGroup:
        group = await session.get(VirtualGroup, id)
        if group is None:
            raise missing("virtual_group", id)
        return group
