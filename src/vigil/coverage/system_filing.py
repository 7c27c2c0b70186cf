"""Filing of systems (备案): devices and cascade platforms record owner, builder, maintainer,
purpose, legal basis and filing number, as channels do.

A device is seen and filed within the caller's scope like its channels (by its organisation). A
platform belongs to no organisation, so only a caller whose scope is every organisation sees or
files it, and only such a caller's report lists platforms.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from vigil.catalog.scope import filed_under
from vigil.catalog.scoped import ScopedCatalog
from vigil.errors import Invalid, missing
from vigil.governance.permissions import Permission, Principal
from vigil.store.database import Database
from vigil.store.models import Device, Platform, SystemFiling

__all__ = [
    "FILING_FIELDS",
    "SystemFilingService",
    "SystemKind",
    "SystemRecord",
    "systems_under",
]

FILING_FIELDS = (
    "owner_unit",
    "builder_unit",
    "maintainer_unit",
    "purpose",
    "legal_basis",
    "filing_number",
)
"""What a filing records, for a system and for a channel alike."""


class SystemKind(enum.StrEnum):
    """The kinds of system that are filed: a device, or a cascade platform."""

    device = "device"
    platform = "platform"


@dataclass(frozen=True, slots=True)
class SystemRecord:
    """A system with its filing (empty fields None) and the fields it lacks."""

    kind: SystemKind
    id: str
    name: str
    organisation_id: str | None
    fields: dict[str, str | None]
    missing: list[str]


def _record(
    kind: SystemKind, id: str, name: str, org: str | None, row: SystemFiling | None
) -> SystemRecord:
    fields = {f: getattr(row, f) if row is not None else None for f in FILING_FIELDS}
    missing = [f for f, value in fields.items() if not (value or "").strip()]
    return SystemRecord(kind, id, name, org, fields, missing)


async def systems_under(
    session: AsyncSession, principal: Principal, org_path: str
) -> list[SystemRecord]:
    """The devices filed under the organisation at ``org_path`` and below, then, for a caller
    whose scope is every organisation, every platform; each with its filing."""
    devices = await session.execute(
        filed_under(Device, org_path)
        .add_columns(SystemFiling)
        .outerjoin(SystemFiling, SystemFiling.device_id == Device.id)
    )
    out = [
        _record(SystemKind.device, d.id, d.name, d.organisation_id, filing) for d, filing in devices
    ]
    if principal.scope_paths is None:
        platforms = await session.execute(
            select(Platform, SystemFiling)
            .outerjoin(SystemFiling, SystemFiling.platform_id == Platform.id)
            .order_by(Platform.id)
        )
        out += [
            _record(SystemKind.platform, str(p.id), p.name, None, filing) for p, filing in platforms
        ]
    return out


class SystemFilingService:
    """Reads and updates the filing of devices and platforms the caller can see."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, principal: Principal, kind: SystemKind, id: str) -> SystemRecord:
        principal.require(Permission.catalog_read)
        async with self._db.session() as session:
            system, row = await self._visible(session, principal, kind, id)
            return _record(kind, id, system.name, _org(system), row)

    async def put(
        self, principal: Principal, kind: SystemKind, id: str, fields: dict[str, Any]
    ) -> SystemRecord:
        """Replace the system's filing with ``fields`` (absent fields become empty)."""
        principal.require(Permission.catalog_write)
        unknown = set(fields) - set(FILING_FIELDS)
        if unknown:
            names = ", ".join(sorted(unknown))
            raise Invalid(f"not filing fields: {names}", code="fields.unknown", fields=names)
        async with self._db.session() as session, session.begin():
            system, row = await self._visible(session, principal, kind, id)
            if row is None:
                key = {"device_id": id} if kind is SystemKind.device else {"platform_id": int(id)}
                row = SystemFiling(**key)
                session.add(row)
            for name in FILING_FIELDS:
                setattr(row, name, fields.get(name))
        return _record(kind, id, system.name, _org(system), row)

    @staticmethod
    async def _visible(
        session: AsyncSession, principal: Principal, kind: SystemKind, id: str
    ) -> tuple[Device | Platform, SystemFiling | None]:
        if kind is SystemKind.device:
            device = await session.get(Device, id)
            if device is None:
                raise missing("device", id)
            path = await ScopedCatalog.org_path(session, device.organisation_id)
            principal.check_org_path(path, "device", id)
            row = await session.scalar(select(SystemFiling).where(SystemFiling.device_id == id))
            return device, row
        platform = await session.get(Platform, int(id)) if id.isdigit() else None
        if platform is None:
            raise missing("platform", id)
        principal.check_org_path(None, "platform", id)
        row = await session.scalar(
            select(SystemFiling).where(SystemFiling.platform_id == platform.id)
        )
        return platform, row


def _org(system: Device | Platform) -> str | None:
    return system.organisation_id if isinstance(system, Device) else None
