"""The composition root: the one place that builds services from settings, starts and stops them."""

from __future__ import annotations

import logging

from vigil.bus import InProcessBus
from vigil.catalog.channels import ChannelService
from vigil.catalog.devices import DeviceService
from vigil.catalog.organisations import OrganisationService
from vigil.catalog.virtual_groups import VirtualGroupService
from vigil.config import Settings
from vigil.governance.audit import AuditLog
from vigil.governance.auth import AuthService
from vigil.governance.users import UserService
from vigil.store.database import Database
from vigil.store.migrate import upgrade

__all__ = ["Vigil"]

log = logging.getLogger(__name__)


class Vigil:
    """Every service of one node, wired together. Nothing else constructs global state."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.db = Database(settings.db_url)
        self.bus = InProcessBus()
        self.audit = AuditLog(self.db)
        self.auth = AuthService(self.db, self.audit, settings)
        self.users = UserService(self.db, self.auth)
        self.organisations = OrganisationService(self.db, self.bus)
        self.devices = DeviceService(self.db, self.bus)
        self.channels = ChannelService(self.db, self.bus)
        self.virtual_groups = VirtualGroupService(self.db, self.bus)

    async def start(self) -> str | None:
        """Migrate the schema and make sure an admin exists.

        Returns the generated admin password when one had to be made, for the caller to show once.
        """
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        await upgrade(self.db.engine)
        admin_password = self.settings.admin_password
        generated = await self.users.ensure_admin(
            admin_password.get_secret_value() if admin_password else None
        )
        log.info("vigil started", extra={"database": self.db.dialect})
        return generated

    async def stop(self) -> None:
        await self.bus.close()
        await self.db.dispose()
