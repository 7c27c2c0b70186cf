"""The catalog as the SIP server needs it: admission of new devices and what they report.

A device admitted on first registration is filed under the most specific region its ID's civil
code names (8, 6, 4 then 2 digits) that exists in the catalog. Passwords are not here: see
:mod:`.device_passwords`.
"""

from __future__ import annotations

import contextlib

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from vigil.catalog.devices import DeviceService
from vigil.errors import Conflict
from vigil.governance.permissions import SYSTEM, Principal
from vigil.store.database import Database
from vigil.store.models import Device, Organisation, OrgKind

__all__ = ["DeviceRecords", "region_for"]

_CIVIL_LENGTHS = (8, 6, 4, 2)


async def region_for(session: AsyncSession, code: str) -> str | None:
    """The most specific existing region whose civil code prefixes ``code``."""
    candidates = [code[:n] for n in _CIVIL_LENGTHS if len(code) >= n and code[:n].isdigit()]
    if not candidates:
        return None
    found = set(
        (
            await session.scalars(
                select(Organisation.id).where(
                    Organisation.id.in_(candidates), Organisation.kind == OrgKind.region
                )
            )
        ).all()
    )
    return next((c for c in candidates if c in found), None)


class DeviceRecords:
    """Device rows as the SIP server needs them: admission, reported info, visibility."""

    def __init__(self, db: Database, devices: DeviceService) -> None:
        self._db = db
        self._devices = devices

    async def admit(self, device_id: str, transport: str) -> None:
        """Add an unknown device that registered with the default password."""
        async with self._db.session() as session:
            organisation_id = await region_for(session, device_id[:8])
        # Conflict: registered twice at once, and the other request created it.
        with contextlib.suppress(Conflict):
            await self._devices.create(
                SYSTEM,
                device_id,
                {"name": device_id, "organisation_id": organisation_id, "transport": transport},
            )

    async def visible(self, principal: Principal, device_id: str) -> None:
        """NotFound or Forbidden unless the device exists within the caller's scope."""
        await self._devices.get(principal, device_id)

    async def update_info(self, device_id: str, values: dict[str, str]) -> None:
        """Store what a DeviceInfo answer said (manufacturer, model, firmware, name)."""
        async with self._db.write() as session:
            device = await session.get(Device, device_id)
            if device is None:
                return
            for name, value in values.items():
                if name == "name" and device.name != device_id:
                    continue  # an operator named it: keep their name
                setattr(device, name, value)
