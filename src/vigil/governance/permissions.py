"""Roles, permissions and the principal every service call is checked against.

Authorisation lives in the services, not the UI or the routers: a service method receives a
``Principal`` and calls ``require`` / ``check_org`` before it touches data.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace

from vigil.errors import Forbidden
from vigil.store.models import Role

__all__ = [
    "ROLE_PERMISSIONS",
    "SYSTEM",
    "UNSCOPED_ROLES",
    "Credential",
    "Permission",
    "Principal",
    "Role",
    "system_principal",
]


class Permission(enum.StrEnum):
    """One thing a user may do; API tokens carry a subset of their owner's."""

    catalog_read = "catalog:read"
    catalog_write = "catalog:write"
    video_live = "video:live"
    video_playback = "video:playback"
    video_export = "video:export"
    device_control = "device:control"
    users_manage = "users:manage"
    audit_read = "audit:read"
    alarms_handle = "alarms:handle"
    """Acknowledge and close alarms (reading them needs ``catalog:read``)."""
    approvals_decide = "approvals:decide"
    """Approve, reject and revoke others' requests (export, unmask, share), with the right the
    request's kind needs (see :mod:`vigil.governance.approval_rules`)."""


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.admin: frozenset(Permission) - {Permission.audit_read},
    Role.operator: frozenset(
        {
            Permission.catalog_read,
            Permission.catalog_write,
            Permission.video_live,
            Permission.video_playback,
            Permission.video_export,
            Permission.device_control,
            Permission.alarms_handle,
            Permission.approvals_decide,
        }
    ),
    Role.viewer: frozenset(
        {Permission.catalog_read, Permission.video_live, Permission.video_playback}
    ),
    Role.auditor: frozenset({Permission.audit_read, Permission.catalog_read}),
}
"""Admins run the platform but do not read the audit log: auditors watch the admins."""

UNSCOPED_ROLES = frozenset({Role.admin, Role.auditor})
"""Roles that see every organisation when they have no scope rows; others then see nothing."""


class Credential(enum.StrEnum):
    """How a principal proved who it is."""

    session = "session"
    """A login with username and password (``POST /auth/token``)."""
    api_token = "api-token"
    """A long-lived API token: it acts, but never manages credentials."""
    internal = "internal"
    """No bearer token: the platform itself, the CLI on the host, a stored delegation."""


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller: who, with which permissions, over which organisation subtrees.

    ``scope_paths`` is ``None`` for "every organisation"; otherwise the materialised paths of the
    organisations whose subtrees this caller may see (empty: none at all). ``access_id`` is the
    row of the access token (login session or API token) it authenticated with; None for the
    platform itself. It is a reference, never the token.
    """

    user_id: int | None
    username: str
    role: Role
    permissions: frozenset[Permission]
    scope_paths: tuple[str, ...] | None
    access_id: int | None = None
    credential: Credential = Credential.internal

    def has(self, permission: Permission) -> bool:
        return permission in self.permissions

    def require(self, permission: Permission) -> None:
        if permission not in self.permissions:
            raise Forbidden(
                f"{self.username} lacks permission {permission.value}",
                code="permission",
                permission=permission.value,
            )

    def require_login_session(self, what: str) -> None:
        """Only a login session may ``what``: a leaked API token must not keep or widen access."""
        if self.credential is not Credential.session:
            raise Forbidden(
                f"only a login session may {what}, not an API token", code="session_only"
            )

    def sees_org_path(self, path: str | None) -> bool:
        """Whether an object filed under the organisation at ``path`` is within scope.

        An object filed under no organisation is visible only to unscoped callers.
        """
        if self.scope_paths is None:
            return True
        if path is None:
            return False
        return any(path.startswith(scope) for scope in self.scope_paths)

    def check_org_path(self, path: str | None, entity: str, id: str | None) -> None:
        """``Forbidden`` unless the ``entity`` (a code: ``channel``, ``organisation``, …) with
        ``id``, filed at ``path``, is within scope."""
        if not self.sees_org_path(path):
            raise Forbidden(
                f"{entity} {id or '(none)'} is outside the organisations {self.username} may "
                "access",
                code="out_of_scope",
                entity=entity,
                id=id,
            )


SYSTEM = Principal(None, "system", Role.admin, frozenset(Permission), None)
"""The platform itself acting (start-up, CLI): every permission, every organisation."""


def system_principal(name: str) -> Principal:
    """The system's powers under another name for the audit log (``cli:<os user>``)."""
    return replace(SYSTEM, username=name[:64])
