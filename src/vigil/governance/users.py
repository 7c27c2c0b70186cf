"""User accounts: create, change, list; and the first admin at first start.

Who may touch which account is ``user_reach``; every change is audited here, whoever calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from vigil.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized, missing
from vigil.governance.audit import AuditLog
from vigil.governance.audited import AuditEntry, Caller, as_caller, audited
from vigil.governance.auth import AuthService
from vigil.governance.password_policy import check_policy, generate_password
from vigil.governance.permissions import Permission, Principal
from vigil.governance.user_reach import reach_clause, require_reach
from vigil.governance.user_scopes import user_scopes
from vigil.store.database import Database
from vigil.store.models import Organisation, Role, User, UserScope
from vigil.store.types import utcnow

__all__ = ["UserService", "UserView"]

ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class UserView:
    """A user as others may see it: never the hash."""

    id: int
    username: str
    role: Role
    disabled: bool
    scopes: list[str]
    locked: bool
    clearance: int


class UserService:
    """Accounts, checked against the caller's reach (``user_reach``); every change is audited
    here (``audited``), so the API, the CLI and the demo leave the same records."""

    def __init__(self, db: Database, auth: AuthService, audit: AuditLog) -> None:
        self._db = db
        self._auth = auth
        self._audit = audit

    async def ensure_admin(self, password: str | None) -> str | None:
        """Create 'admin' when there are no users. Returns a generated password to show once."""
        async with self._db.session() as session, session.begin():
            if await session.scalar(select(func.count()).select_from(User)):
                return None
            generated = None
            if password is None:
                password = generated = generate_password()
            check_policy(ADMIN, password)
            session.add(
                User(
                    username=ADMIN,
                    password_hash=await self._auth.passwords.hash(password),
                    role=Role.admin,
                )
            )
        return generated

    async def reset_password(self, who: Principal | Caller, username: str) -> str:
        """Give ``username`` a new random password (``vigil demo``, ``vigil users passwd``)."""
        password = generate_password()
        await self._set_password(who, username, password, "reset")
        return password

    async def set_password(self, who: Principal | Caller, username: str, password: str) -> None:
        await self._set_password(who, username, password, "set")

    async def change_own_password(self, who: Principal | Caller, old: str, new: str) -> None:
        caller = as_caller(who)
        principal = caller.principal
        async with audited(
            self._audit, caller, "user.password", _account(principal.username)
        ) as change:
            change.detail["how"] = "own"
            principal.require_login_session("change the password")
            async with self._db.session() as session:
                user = await session.get(User, principal.user_id)
            if user is None or not await self._auth.passwords.verify(user.password_hash, old):
                raise Unauthorized("current password is wrong", code="password.current_wrong")
            check_policy(user.username, new)
            change.detail["tokens_revoked"] = await self._store_password(user, new)

    async def create(
        self, who: Principal | Caller, username: str, password: str, role: Role, scopes: list[str]
    ) -> UserView:
        caller = as_caller(who)
        principal = caller.principal
        async with audited(self._audit, caller, "user.create", _account(username)) as change:
            change.detail.update(username=username, role=role.value, scopes=sorted(set(scopes)))
            principal.require(Permission.users_manage)
            check_policy(username, password)
            async with self._db.session() as session, session.begin():
                paths = await _scopes(session, scopes)
                require_reach(principal, role, paths.values(), f"user {username}")
                if await session.scalar(select(User.id).where(User.username == username)):
                    raise Conflict(
                        f"user {username} already exists", code="exists", entity="user", id=username
                    )
                user = User(
                    username=username,
                    password_hash=await self._auth.passwords.hash(password),
                    role=role,
                )
                session.add(user)
                await session.flush()
                session.add_all(UserScope(user_id=user.id, organisation_id=s) for s in paths)
            change.detail["id"] = user.id
        return await self.get(principal, user.id)

    async def update(
        self,
        who: Principal | Caller,
        user_id: int,
        role: Role | None,
        scopes: list[str] | None,
        disabled: bool | None,
    ) -> UserView:
        caller = as_caller(who)
        principal = caller.principal
        async with audited(self._audit, caller, "user.update", _account(f"#{user_id}")) as change:
            principal.require(Permission.users_manage)
            if user_id == principal.user_id and (disabled or (role and role != principal.role)):
                raise Forbidden(
                    "you cannot disable yourself or change your own role", code="user.self_change"
                )
            async with self._db.session() as session, session.begin():
                user, current = await self._reachable(session, principal, user_id, change)
                wanted = await _scopes(session, scopes) if scopes is not None else current
                new_role = role or user.role
                if wanted is not current or role is not None:
                    require_reach(
                        principal, new_role, wanted.values(), f"user {user_id} as changed"
                    )
                change.detail["changes"] = _changes(
                    (user.role.value, new_role.value),
                    (sorted(current), sorted(wanted)),
                    (user.disabled, user.disabled if disabled is None else disabled),
                )
                user.role = new_role
                user.disabled = user.disabled if disabled is None else disabled
                if wanted is not current:
                    await session.execute(delete(UserScope).where(UserScope.user_id == user_id))
                    session.add_all(UserScope(user_id=user_id, organisation_id=s) for s in wanted)
        return await self.get(principal, user_id)

    async def delete(self, who: Principal | Caller, user_id: int) -> None:
        caller = as_caller(who)
        principal = caller.principal
        async with audited(self._audit, caller, "user.delete", _account(f"#{user_id}")) as change:
            principal.require(Permission.users_manage)
            if user_id == principal.user_id:
                raise Forbidden("you cannot delete yourself", code="user.self_delete")
            async with self._db.session() as session, session.begin():
                user, scopes = await self._reachable(session, principal, user_id, change)
                change.detail.update(role=user.role.value, scopes=sorted(scopes))
                await session.delete(user)

    async def get(self, principal: Principal, user_id: int) -> UserView:
        async with self._db.session() as session:
            if principal.user_id == user_id:
                return await self._view(session, await self._load(session, user_id))
            principal.require(Permission.users_manage)
            user, _ = await self._reachable(session, principal, user_id)
            return await self._view(session, user)

    async def page(self, principal: Principal, after_id: int | None, limit: int) -> list[UserView]:
        """The accounts within the principal's reach (see ``user_reach``), by id."""
        principal.require(Permission.users_manage)
        query = select(User).where(reach_clause(principal)).order_by(User.id).limit(limit)
        if after_id is not None:
            query = query.where(User.id > after_id)
        async with self._db.session() as session:
            return [await self._view(session, u) for u in (await session.scalars(query)).all()]

    async def list_all(self) -> list[UserView]:
        """Every user, for the CLI (which acts as the system)."""
        async with self._db.session() as session:
            users = (await session.scalars(select(User).order_by(User.id))).all()
            return [await self._view(session, u) for u in users]

    async def _set_password(
        self, who: Principal | Caller, username: str, password: str, how: str
    ) -> None:
        caller = as_caller(who)
        principal = caller.principal
        async with audited(self._audit, caller, "user.password", _account(username)) as change:
            change.detail["how"] = how
            principal.require(Permission.users_manage)
            check_policy(username, password)
            async with self._db.session() as session:
                user = await session.scalar(select(User).where(User.username == username))
                if user is None:
                    raise missing("user", username)
                scopes = await user_scopes(session, user)
                require_reach(principal, user.role, scopes.values(), f"user {username}")
            change.detail["tokens_revoked"] = await self._store_password(user, password)

    async def _store_password(self, user: User, password: str) -> int:
        """Set the hash, end every session and API token of the user (returning how many were
        live) and unlock it from every address."""
        password_hash = await self._auth.passwords.hash(password)
        async with self._db.session() as session, session.begin():
            stored = await self._load(session, user.id)
            stored.password_hash = password_hash
            stored.password_changed_at = utcnow()
            stored.failed_logins = 0
            stored.locked_until = None
        self._auth.unlock(user.username)
        return await self._auth.revoke_tokens(user.id)

    @staticmethod
    async def _load(session: AsyncSession, user_id: int) -> User:
        user = await session.get(User, user_id)
        if user is None:
            raise NotFound(
                f"user {user_id} does not exist", code="not_found", entity="user", id=f"#{user_id}"
            )
        return user

    async def _reachable(
        self,
        session: AsyncSession,
        principal: Principal,
        user_id: int,
        change: AuditEntry | None = None,
    ) -> tuple[User, dict[str, str]]:
        """The user and its scopes (id → path), or ``Forbidden`` when beyond reach."""
        user = await self._load(session, user_id)
        if change is not None:
            change.resource = _account(user.username)
            change.detail.update(id=user.id, username=user.username)
        scopes = await user_scopes(session, user)
        require_reach(principal, user.role, scopes.values(), f"user {user_id}")
        return user, scopes

    @staticmethod
    async def _view(session: AsyncSession, user: User) -> UserView:
        scopes = (
            await session.scalars(
                select(UserScope.organisation_id).where(UserScope.user_id == user.id)
            )
        ).all()
        locked = user.locked_until is not None and user.locked_until > utcnow()
        return UserView(
            user.id, user.username, user.role, user.disabled, sorted(scopes), locked, user.clearance
        )


def _account(name: str) -> str:
    """The audit resource of an account (its username, or ``#<id>`` until it is known)."""
    return f"user/{name}"


async def _scopes(session: AsyncSession, org_ids: list[str]) -> dict[str, str]:
    """The organisations ``org_ids`` (id → path); ``Invalid`` naming any that do not exist."""
    rows = (
        await session.execute(
            select(Organisation.id, Organisation.path).where(Organisation.id.in_(set(org_ids)))
        )
    ).all()
    missing = sorted(set(org_ids) - {row.id for row in rows})
    if missing:
        ids = ", ".join(missing)
        raise Invalid(
            f"unknown organisation(s) in scopes: {ids}", code="user.unknown_scopes", ids=ids
        )
    return {row.id: row.path for row in rows}


def _changes(*pairs: tuple[Any, Any]) -> dict[str, list[Any]]:
    """The fields (role, scopes, disabled) whose value changes, as [before, after]."""
    names = ("role", "scopes", "disabled")
    return {name: [old, new] for name, (old, new) in zip(names, pairs, strict=True) if old != new}
