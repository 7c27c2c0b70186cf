"""The organisations an account is scoped to, as stored and as its principal carries them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from vigil.governance.permissions import UNSCOPED_ROLES
from vigil.store.models import Organisation, User, UserScope

__all__ = ["scope_paths_of", "user_scopes"]


async def user_scopes(session: AsyncSession, user: User) -> dict[str, str]:
    """The organisations ``user`` is scoped to (id → path)."""
    rows = await session.execute(
        select(Organisation.id, Organisation.path)
        .join(UserScope, UserScope.organisation_id == Organisation.id)
        .where(UserScope.user_id == user.id)
    )
    return {row.id: row.path for row in rows}


async def scope_paths_of(session: AsyncSession, user: User) -> tuple[str, ...] | None:
    """``user``'s scope paths as ``Principal.scope_paths`` takes them: None (every organisation)
    for an admin or auditor scoped to none."""
    paths = tuple((await user_scopes(session, user)).values())
    return None if not paths and user.role in UNSCOPED_ROLES else paths
