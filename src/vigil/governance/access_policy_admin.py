"""Setting the access policy: channel sensitivity, user clearance, the access windows.

Each change is an administrator's (``users:manage``) and is audited with what it was and what it
became:

* a channel's **sensitivity** also needs ``catalog:write`` and the channel within the caller's
  organisations (an operator, who may edit channels, must not lower a channel to watch it);
* a user's **clearance** needs the account within the caller's reach (the rules of
  :mod:`.user_reach`: a scoped admin sets it only for the accounts it could have made);
* the **windows** apply to every organisation, so only an unscoped admin replaces them; replacing
  them makes the policy read them again (:meth:`AccessPolicy.changed`).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.exc import IntegrityError

from vigil.errors import Forbidden, Invalid, missing
from vigil.governance.access_policy import MAX_SENSITIVITY, AccessWindow
from vigil.governance.access_policy_service import AccessPolicy
from vigil.governance.audit import AuditLog
from vigil.governance.audited import Caller, as_caller, audited
from vigil.governance.permissions import Permission, Principal
from vigil.governance.user_reach import require_reach
from vigil.store.database import Database
from vigil.store.models import AccessWindowRow
from vigil.store.queries.access_policy import (
    channel_row,
    replace_access_windows,
    set_clearance,
    set_sensitivity,
    user_row,
)

__all__ = ["AccessPolicyAdmin"]


def _check_level(value: int, what: str) -> None:
    if not 0 <= value <= MAX_SENSITIVITY:
        raise Invalid(
            f"{what} runs 0 to {MAX_SENSITIVITY}",
            code="field.range",
            field=what,
            min=0,
            max=MAX_SENSITIVITY,
        )


def _row(window: AccessWindow) -> AccessWindowRow:
    days = "".join(str(d) for d in sorted(window.days)) if window.days is not None else None
    return AccessWindowRow(
        role=window.role.value if window.role else None,
        user_id=window.user_id,
        action=window.action.value,
        start=window.start,
        end=window.end,
        days=days,
    )


class AccessPolicyAdmin:
    """Changes the policy's data; built once by :class:`vigil.app.Vigil`."""

    def __init__(self, db: Database, audit: AuditLog, policy: AccessPolicy) -> None:
        self._db = db
        self._audit = audit
        self._policy = policy

    async def set_sensitivity(
        self, who: Principal | Caller, channel_id: str, sensitivity: int
    ) -> int:
        """Set the channel's sensitivity (0 … 3); audited as ``channel.sensitivity``."""
        caller = as_caller(who)
        principal = caller.principal
        principal.require(Permission.users_manage)
        principal.require(Permission.catalog_write)
        _check_level(sensitivity, "sensitivity")
        resource = f"channel:{channel_id}"
        async with audited(
            self._audit, caller, "channel.sensitivity", resource, channel_id=channel_id
        ) as entry:
            row = await channel_row(self._db, channel_id)
            if row is None:
                raise missing("channel", channel_id)
            principal.check_org_path(row.org_path, "channel", channel_id)
            await set_sensitivity(self._db, channel_id, sensitivity)
            entry.detail["sensitivity"] = [row.sensitivity, sensitivity]
        return sensitivity

    async def set_clearance(self, who: Principal | Caller, user_id: int, clearance: int) -> int:
        """Set the user's clearance (0 … 3); audited as ``user.clearance``."""
        caller = as_caller(who)
        principal = caller.principal
        principal.require(Permission.users_manage)
        _check_level(clearance, "clearance")
        async with audited(self._audit, caller, "user.clearance", f"user:#{user_id}") as entry:
            row = await user_row(self._db, user_id)
            if row is None:
                raise missing("user", user_id)
            entry.resource = f"user:{row.username}"
            require_reach(principal, row.role, row.scope_paths, f"user {row.username}")
            await set_clearance(self._db, user_id, clearance)
            entry.detail["clearance"] = [row.clearance, clearance]
        return clearance

    async def windows(self, principal: Principal) -> list[AccessWindow]:
        """Every access window (administrators)."""
        principal.require(Permission.users_manage)
        return list(await self._policy.windows())

    async def replace_windows(
        self, who: Principal | Caller, windows: Sequence[AccessWindow]
    ) -> list[AccessWindow]:
        """Replace every window; audited as ``access.windows`` (an unscoped admin only)."""
        caller = as_caller(who)
        principal = caller.principal
        principal.require(Permission.users_manage)
        if principal.scope_paths is not None:
            raise Forbidden(
                "access windows apply to every organisation: only an unscoped administrator "
                "may change them",
                code="access.windows_scoped",
            )
        detail = {"windows": [f"{w.role or f'user #{w.user_id}'} {w.action}" for w in windows]}
        async with audited(self._audit, caller, "access.windows", "access-windows", detail=detail):
            try:
                await replace_access_windows(self._db, [_row(w) for w in windows])
            except IntegrityError:
                raise Invalid(
                    "a window names a user that does not exist", code="access.window_user"
                ) from None
            finally:
                self._policy.changed()
        return await self._policy.windows()
