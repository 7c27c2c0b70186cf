"""Get, list, update and delete for catalog objects filed under an organisation.

Devices and channels share these rules: a caller sees an object only when its organisation lies in
their scope, changes to it need ``catalog:write``, and moving it to another organisation needs
that organisation to be in scope too. Each subclass adds only what differs (creation, checks).
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from vigil.bus import CatalogChanged, EventBus
from vigil.catalog.scope import scope_clause
from vigil.errors import Invalid, missing
from vigil.governance.permissions import Permission, Principal
from vigil.store.database import Database
from vigil.store.models import Channel, Device, Organisation

__all__ = ["ScopedCatalog"]

M = TypeVar("M", Device, Channel)


class ScopedCatalog(Generic[M]):
    """Scope-checked access to one model with ``id`` and ``organisation_id`` columns."""

    model: ClassVar[type[Any]]
    entity: ClassVar[str]
    updatable: ClassVar[frozenset[str]]

    def __init__(self, db: Database, bus: EventBus) -> None:
        self._db = db
        self._bus = bus

    async def get(self, principal: Principal, id: str) -> M:
        principal.require(Permission.catalog_read)
        async with self._db.session() as session:
            return await self._visible(session, principal, id)

    async def page(
        self, principal: Principal, after: str | None, limit: int, **equal: Any
    ) -> list[M]:
        principal.require(Permission.catalog_read)
        model = self.model
        query = (
            select(model)
            .outerjoin(Organisation, Organisation.id == model.organisation_id)
            .where(scope_clause(principal, Organisation.path))
            .order_by(model.id)
            .limit(limit)
        )
        if after is not None:
            query = query.where(model.id > after)
        for column, value in equal.items():
            if value is not None:
                query = query.where(getattr(model, column) == value)
        async with self._db.session() as session:
            return list((await session.scalars(query)).all())

    async def update(self, principal: Principal, id: str, changes: dict[str, Any]) -> M:
        principal.require(Permission.catalog_write)
        unknown = set(changes) - self.updatable
        if unknown:
            fields = ", ".join(sorted(unknown))
            raise Invalid(
                f"{self.entity} fields cannot be changed: {fields}",
                code="fields.unknown",
                fields=fields,
            )
        async with self._db.session() as session, session.begin():
            obj = await self._visible(session, principal, id)
            if "organisation_id" in changes:
                await self.check_org(session, principal, changes["organisation_id"])
            for name, value in changes.items():
                setattr(obj, name, value)
        await self._bus.publish(CatalogChanged(entity=self.entity, id=id, op="updated"))
        return obj

    async def delete(self, principal: Principal, id: str) -> None:
        principal.require(Permission.catalog_write)
        async with self._db.session() as session, session.begin():
            await session.delete(await self._visible(session, principal, id))
        await self._bus.publish(CatalogChanged(entity=self.entity, id=id, op="deleted"))

    async def _visible(self, session: AsyncSession, principal: Principal, id: str) -> M:
        obj: M | None = await session.get(self.model, id)
        if obj is None:
            raise missing(self.entity, id)
        path = await self.org_path(session, obj.organisation_id)
        principal.check_org_path(path, self.entity, id)
        return obj

    @staticmethod
    async def org_path(session: AsyncSession, organisation_id: str | None) -> str | None:
        if organisation_id is None:
            return None
        return await session.scalar(
            select(Organisation.path).where(Organisation.id == organisation_id)
        )

    @classmethod
    async def check_org(
        cls, session: AsyncSession, principal: Principal, organisation_id: str | None
    ) -> None:
        """The organisation must exist and be in scope (no organisation: unscoped callers only)."""
        path = await cls.org_path(session, organisation_id)
        if organisation_id is not None and path is None:
            raise missing("organisation", organisation_id, Invalid)
        principal.check_org_path(path, "organisation", organisation_id)
