"""The organisation tree: administrative regions by civil code, departments and industries."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from vigil.bus import CatalogChanged, EventBus
from vigil.catalog.ids import check_org_id, check_region_code
from vigil.catalog.scope import scope_clause
from vigil.errors import Conflict, Forbidden, Invalid, already_exists, missing
from vigil.governance.permissions import Permission, Principal
from vigil.store.database import Database
from vigil.store.models import Channel, Device, Organisation, OrgKind, UserScope

__all__ = ["OrgKind", "OrganisationService"]

_CONTENTS = (
    (Organisation.parent_id, "organisation"),
    (Device.organisation_id, "device"),
    (Channel.organisation_id, "channel"),
)
"""What an organisation may still hold, and the entity code a refusal to delete it names."""


class OrganisationService:
    """Keeps the organisation tree: adds, renames, moves and removes nodes, within scope."""

    def __init__(self, db: Database, bus: EventBus) -> None:
        self._db = db
        self._bus = bus

    async def create(
        self, principal: Principal, id: str, name: str, kind: OrgKind, parent_id: str | None
    ) -> Organisation:
        principal.require(Permission.catalog_write)
        (check_region_code if kind is OrgKind.region else check_org_id)(id)
        async with self._db.session() as session, session.begin():
            if await session.get(Organisation, id) is not None:
                raise already_exists("organisation", id)
            if parent_id is None and kind is OrgKind.region and len(id) > 2:
                parent_id = id[:-2] if await session.get(Organisation, id[:-2]) else None
            parent = await self._parent(session, parent_id, id, kind)
            if parent is None and principal.scope_paths is not None:
                raise Forbidden(
                    "only unscoped users create top-level organisations",
                    code="organisation.top_level",
                )
            if parent is not None:
                principal.check_org_path(parent.path, "organisation", parent.id)
            org = Organisation(
                id=id,
                name=name,
                kind=kind,
                parent_id=parent_id,
                path=f"{parent.path if parent else ''}{id}/",
            )
            session.add(org)
        await self._bus.publish(CatalogChanged(entity="organisation", id=id, op="created"))
        return org

    async def rename(self, principal: Principal, id: str, name: str) -> Organisation:
        principal.require(Permission.catalog_write)
        async with self._db.session() as session, session.begin():
            org = await self._visible(session, principal, id)
            org.name = name
        await self._bus.publish(CatalogChanged(entity="organisation", id=id, op="updated"))
        return org

    async def delete(self, principal: Principal, id: str) -> None:
        principal.require(Permission.catalog_write)
        async with self._db.session() as session, session.begin():
            org = await self._visible(session, principal, id)
            for model, entity in _CONTENTS:
                if await session.scalar(select(exists().where(model == id))):
                    raise Conflict(
                        f"organisation {id} still has {model.class_.__tablename__}",
                        code="organisation.not_empty",
                        id=id,
                        entity=entity,
                    )
            # Deleting a user's last scope would leave an admin or auditor unscoped, seeing all.
            if await session.scalar(select(exists().where(UserScope.organisation_id == id))):
                raise Conflict(
                    f"organisation {id} is a user's scope; change their scopes first",
                    code="organisation.user_scope",
                    id=id,
                )
            await session.delete(org)
        await self._bus.publish(CatalogChanged(entity="organisation", id=id, op="deleted"))

    async def get(self, principal: Principal, id: str) -> Organisation:
        principal.require(Permission.catalog_read)
        async with self._db.session() as session:
            return await self._visible(session, principal, id)

    async def page(
        self, principal: Principal, after: str | None, limit: int, parent_id: str | None = None
    ) -> list[Organisation]:
        principal.require(Permission.catalog_read)
        query = (
            select(Organisation)
            .where(scope_clause(principal, Organisation.path))
            .order_by(Organisation.id)
            .limit(limit)
        )
        if after is not None:
            query = query.where(Organisation.id > after)
        if parent_id is not None:
            query = query.where(Organisation.parent_id == parent_id)
        async with self._db.session() as session:
            return list((await session.scalars(query)).all())

    @staticmethod
    async def _parent(
        session: AsyncSession, parent_id: str | None, id: str, kind: OrgKind
    ) -> Organisation | None:
        if parent_id is None:
            return None
        parent = await session.get(Organisation, parent_id)
        if parent is None:
            raise missing("organisation", parent_id, Invalid, "parent")
        if kind is OrgKind.region and (
            parent.kind is not OrgKind.region or not id.startswith(parent.id)
        ):
            raise Invalid(
                f"region {id} must sit under the region whose code it extends, not {parent_id}",
                code="organisation.region_parent",
                id=id,
                parent=parent_id,
            )
        return parent

    @staticmethod
    async def _visible(session: AsyncSession, principal: Principal, id: str) -> Organisation:
        org = await session.get(Organisation, id)
        if org is None:
            raise missing("organisation", id)
        principal.check_org_path(org.path, "organisation", id)
        return org
