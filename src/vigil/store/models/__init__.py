"""Every table, imported here so Alembic and ``Base.metadata`` see the whole schema."""

from vigil.store.models.audit import AuditRecord
from vigil.store.models.catalog import Channel, Device, Organisation, OrgKind
from vigil.store.models.platforms import Platform, PlatformDirection, VirtualGroup, VirtualGroupKind
from vigil.store.models.users import AccessToken, Role, User, UserScope

__all__ = [
    "AccessToken",
    "AuditRecord",
    "Channel",
    "Device",
    "OrgKind",
    "Organisation",
    "Platform",
    "PlatformDirection",
    "Role",
    "User",
    "UserScope",
    "VirtualGroup",
    "VirtualGroupKind",
]
