"""Devices: what registers by SIP, or is added by hand as an RTSP/ONVIF source."""

from __future__ import annotations

from typing import Any

from vigil.bus import CatalogChanged
from vigil.catalog.ids import check_device_id
from vigil.catalog.scoped import ScopedCatalog
from vigil.errors import already_exists
from vigil.governance.permissions import Permission, Principal
from vigil.store.models import Device

__all__ = ["DeviceService"]


class DeviceService(ScopedCatalog[Device]):
    """Adds, reads, moves and deletes devices (NVRs, cameras) within the caller's scope."""

    model = Device
    entity = "device"
    updatable = frozenset(
        {"name", "organisation_id", "manufacturer", "model", "firmware", "transport"}
    )

    async def create(self, principal: Principal, id: str, fields: dict[str, Any]) -> Device:
        principal.require(Permission.catalog_write)
        check_device_id(id)
        async with self._db.session() as session, session.begin():
            if await session.get(Device, id) is not None:
                raise already_exists("device", id)
            await self.check_org(session, principal, fields.get("organisation_id"))
            device = Device(id=id, **fields)
            session.add(device)
        await self._bus.publish(CatalogChanged(entity="device", id=id, op="created"))
        return device
