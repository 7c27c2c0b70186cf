"""Which accounts a principal may see, make and change: its *reach*.

An unscoped administrator (``scope_paths`` None) reaches every account. A scoped one reaches only
the accounts it could have made itself:

- at least one scope, and every scope inside its own. An account without scopes is never within
  reach: an unscoped admin or auditor sees everything, and an unscoped operator or viewer is
  outside every organisation, so no scoped admin may make, keep or turn an account unscoped;
- a role whose permissions it holds itself. That rules out *auditor*: ``audit:read`` reads the
  whole audit log, which no organisation scope limits, and auditors watch the administrators.

Both sides of a change must be within reach: the account as it is (a scoped admin cannot take an
account over by re-scoping it) and as it will be (nor push one outside or widen its own scope).
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import ColumnElement, and_, exists, false, not_, or_, select, true

from vigil.errors import Forbidden
from vigil.governance.permissions import ROLE_PERMISSIONS, Principal
from vigil.store.models import Organisation, Role, User, UserScope

__all__ = ["grantable_roles", "reach_clause", "reaches", "require_reach"]


def grantable_roles(principal: Principal) -> list[Role]:
    """The roles ``principal`` may give: all when unscoped, else those within its permissions."""
    if principal.scope_paths is None:
        return list(Role)
    return [role for role in Role if ROLE_PERMISSIONS[role] <= principal.permissions]


def reaches(principal: Principal, role: Role, scope_paths: Collection[str]) -> bool:
    """Whether an account of ``role`` scoped to ``scope_paths`` is within reach."""
    if principal.scope_paths is None:
        return True
    return (
        role in grantable_roles(principal)
        and bool(scope_paths)
        and all(principal.sees_org_path(path) for path in scope_paths)
    )


def require_reach(
    principal: Principal, role: Role, scope_paths: Collection[str], what: str
) -> None:
    """``Forbidden`` naming why, unless such an account is within reach."""
    if reaches(principal, role, scope_paths):
        return
    if role not in grantable_roles(principal):
        reason = f"role {role.value} carries permissions {principal.username} lacks"
        raise Forbidden(f"{what}: {reason}", code="user.role_beyond", role=role.value)
    if not scope_paths:
        reason = "an account without scopes would reach beyond the organisations you manage"
        raise Forbidden(f"{what}: {reason}", code="user.no_scopes")
    reason = f"it lies outside the organisations {principal.username} manages"
    raise Forbidden(f"{what}: {reason}", code="user.outside_scope")


def reach_clause(principal: Principal) -> ColumnElement[bool]:
    """The SQL half of ``reaches``: a WHERE condition on ``User`` rows."""
    if principal.scope_paths is None:
        return true()
    inside = or_(
        false(),
        *(Organisation.path.startswith(p, autoescape=True) for p in principal.scope_paths),
    )
    scoped = exists().where(UserScope.user_id == User.id)
    outside = exists(
        select(UserScope.user_id)
        .join(Organisation, Organisation.id == UserScope.organisation_id)
        .where(UserScope.user_id == User.id, not_(inside))
    )
    return and_(User.role.in_(grantable_roles(principal)), scoped, not_(outside))
