"""The core of a node that the admin commands need: database, audit log, users, device secrets.

``vigil users …`` and ``vigil audit verify`` run beside a serving node on the same database;
they need no SIP, media, analytics or API. :class:`AdminNode` builds only these services, so a
command imports and constructs a fraction of the node (about 0.7 s of CPU to start, against 1.7 s
for the whole :class:`vigil.app.Vigil`); :class:`vigil.app.Vigil` builds its own core from this
class too, so both open, migrate and keep an admin the same way.
"""

from __future__ import annotations

from vigil.bus import InProcessBus
from vigil.catalog.devices import DeviceService
from vigil.config import Settings
from vigil.data_dir import prepare_data_dir
from vigil.errors import NoDatabase
from vigil.gb28181.devices.device_passwords import DevicePasswords
from vigil.governance.audit import AuditLog
from vigil.governance.auth import AuthService
from vigil.governance.signing import default_key_file
from vigil.governance.tree_heads import TreeHeads
from vigil.governance.users import UserService
from vigil.store.database import Database
from vigil.store.migrate import current_revision, upgrade

__all__ = ["AdminNode"]


class AdminNode:
    """The database and the services an admin command acts through; nothing of it runs."""

    def __init__(self, settings: Settings, bus: InProcessBus | None = None) -> None:
        self.settings = settings
        self.db = Database(settings.db_url)
        self.bus = bus or InProcessBus()
        self.audit = AuditLog(self.db)
        # Signed heads of the audit log's Merkle tree, with the key kept outside the database.
        self.tree_heads = TreeHeads(
            self.db,
            self.audit,
            settings.signing_key_file or default_key_file(settings.data_dir),
            settings.audit_head_interval,
        )
        self.auth = AuthService(self.db, self.audit, settings)
        self.users = UserService(self.db, self.auth, self.audit)
        self.devices = DeviceService(self.db, self.bus)
        self.device_passwords = DevicePasswords(
            self.db, self.devices, self.audit, settings.sip_domain
        )

    async def open(self) -> str | None:
        """Open the existing database for an admin command: migrated, with an admin; nothing
        else starts and nothing is created (no database there is a :class:`NoDatabase`).

        Returns the generated admin password when one had to be made, for the caller to show once.
        """
        if self.db.file is not None and not self.db.file.is_file():
            raise NoDatabase(f"no database at {self.db.where}")
        await self.db.reachable()
        if await current_revision(self.db.engine) is None:
            raise NoDatabase(f"no database at {self.db.where} (no Vigil schema there)")
        await self.migrate()
        return await self.ensure_admin()

    async def create_database(self) -> None:
        """Create or migrate the database: the data dir (0700), the SQLite file (0600), the
        schema (``db upgrade``, and the first step of a node's start)."""
        prepare_data_dir(self.settings.data_dir)
        self.db.create_file()
        await self.db.reachable()
        await self.migrate()

    async def migrate(self) -> None:
        await upgrade(self.db.engine)
        # Device passwords stored in clear text before revision 0015 become HA1 for this domain.
        await self.device_passwords.convert_clear_text()

    async def ensure_admin(self) -> str | None:
        """An admin account exists (``VIGIL_ADMIN_PASSWORD``, or a generated password returned)."""
        admin_password = self.settings.admin_password
        return await self.users.ensure_admin(
            admin_password.get_secret_value() if admin_password else None
        )

    async def stop(self) -> None:
        """Close the database (an admin node starts nothing else)."""
        await self.bus.close()
        await self.db.dispose()
