"""Devices' own digest secrets: stored as HA1 for the SIP domain, never as the password.

Digest needs only HA1 = MD5(device ID:realm:password), and the realm is the node's SIP domain
(``VIGIL_SIP_DOMAIN``), so :meth:`DevicePasswords.set` stores that and the realm it was computed
for. The secret is read here and nowhere else; it leaves this module only into the digest check
and is never logged. Changing the SIP domain makes every stored HA1 useless: the registrar then
refuses such a device with the reason "password set for another SIP domain" (logged and audited)
until its password is set again. The shared ``VIGIL_SIP_PASSWORD`` is a setting, not a row, and
is untouched by all this.

Rows written before revision 0015 hold clear text, which a migration cannot convert (it does not
know the realm): :meth:`DevicePasswords.convert_clear_text` does it at every start, for the
current domain, and empties the clear-text column.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select

from vigil.catalog.devices import DeviceService
from vigil.governance.audit import AuditLog
from vigil.governance.audited import Caller, audited
from vigil.governance.permissions import Permission, Principal
from vigil.protocols.sip import digest_ha1
from vigil.store.database import Database
from vigil.store.models import Device, GbRegistration

__all__ = ["DeviceAuth", "DevicePasswords"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DeviceAuth:
    """Whether the device is in the catalog, and its own HA1 and realm if it has a password."""

    known: bool
    ha1: str | None = None
    realm: str | None = None


class DevicePasswords:
    """Devices' own digest secrets (HA1 per SIP domain): set, read, converted."""

    def __init__(self, db: Database, devices: DeviceService, audit: AuditLog, realm: str) -> None:
        self._db = db
        self._devices = devices
        self._audit = audit
        self.realm = realm

    async def auth(self, device_id: str) -> DeviceAuth:
        async with self._db.session() as session:
            row = (
                await session.execute(
                    select(Device.id, GbRegistration.sip_ha1, GbRegistration.sip_realm)
                    .outerjoin(GbRegistration, GbRegistration.device_id == Device.id)
                    .where(Device.id == device_id)
                )
            ).first()
        if row is None:
            return DeviceAuth(False)
        return DeviceAuth(True, row[1], row[2])

    async def set(self, caller: Caller, device_id: str, password: str) -> None:
        """Give a device its own digest password (catalog:write, in scope); audited whatever
        the outcome, the password never."""
        async with audited(self._audit, caller, "device.sip_password", f"device/{device_id}"):
            await self._store(caller.principal, device_id, password)

    async def _store(self, principal: Principal, device_id: str, password: str) -> None:
        principal.require(Permission.catalog_write)
        await self._devices.get(principal, device_id)
        ha1 = digest_ha1(device_id, self.realm, password)
        async with self._db.session() as session, session.begin():
            registration = await session.get(GbRegistration, device_id)
            if registration is None:
                registration = GbRegistration(device_id=device_id)
                session.add(registration)
            registration.sip_ha1, registration.sip_realm = ha1, self.realm
            registration.sip_password = None

    async def convert_clear_text(self) -> int:
        """Replace every clear-text password left from before revision 0015 by its HA1 for the
        current realm; how many rows were converted."""
        async with self._db.session() as session, session.begin():
            rows = (
                await session.scalars(
                    select(GbRegistration).where(GbRegistration.sip_password.is_not(None))
                )
            ).all()
            for row in rows:
                assert row.sip_password is not None
                row.sip_ha1 = digest_ha1(row.device_id, self.realm, row.sip_password)
                row.sip_realm, row.sip_password = self.realm, None
        if rows:
            log.warning(
                "device passwords converted from clear text to HA1",
                extra={"devices": len(rows), "realm": self.realm},
            )
        return len(rows)
