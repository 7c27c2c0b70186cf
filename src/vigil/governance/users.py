"""User accounts: create, change, list; and the first admin at first start."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from vigil.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from vigil.governance.auth import AuthService
from vigil.governance.password_policy import check_policy, generate_password
from vigil.governance.passwords import hash_password, verify_password
from vigil.governance.permissions import Permission, Principal
from vigil.governance.user_reach import reach_clause, require_reach
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


class UserService:
    def __init__(self, db: Database, auth: AuthService) -> None:
        self._db = db
        self._auth = auth

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
                User(username=ADMIN, password_hash=await hash_password(password), role=Role.admin)
            )
        return generated

    async def reset_password(self, principal: Principal, username: str) -> str:
        """Give ``username`` a new random password (``vigil demo``, ``vigil users passwd``)."""
        password = generate_password()
        await self._set_password(principal, username, password)
        return password

    async def set_password(self, principal: Principal, username: str, password: str) -> None:
        check_policy(username, password)
        await self._set_password(principal, username, password)

    async def change_own_password(self, principal: Principal, old: str, new: str) -> None:
        principal.require_login_session("change the password")
        async with self._db.session() as session:
            user = await session.get(User, principal.user_id)
        if user is None or not await verify_password(user.password_hash, old):
            raise Unauthorized("current password is wrong")
        check_policy(user.username, new)
        await self._store_password(user.id, user.username, new)

    async def create(
        self, principal: Principal, username: str, password: str, role: Role, scopes: list[str]
    ) -> UserView:
        principal.require(Permission.users_manage)
        check_policy(username, password)
        async with self._db.session() as session, session.begin():
            require_reach(principal, role, await _paths(session, scopes), f"user {username}")
            if await session.scalar(select(User.id).where(User.username == username)):
                raise Conflict(f"user {username} already exists")
            user = User(username=username, password_hash=await hash_password(password), role=role)
            session.add(user)
            await session.flush()
            session.add_all(UserScope(user_id=user.id, organisation_id=s) for s in set(scopes))
        return await self.get(principal, user.id)

    async def update(
        self,
        principal: Principal,
        user_id: int,
        role: Role | None,
        scopes: list[str] | None,
        disabled: bool | None,
    ) -> UserView:
        principal.require(Permission.users_manage)
        if user_id == principal.user_id and (disabled or (role and role != principal.role)):
            raise Forbidden("you cannot disable yourself or change your own role")
        async with self._db.session() as session, session.begin():
            user = await self._reachable(session, principal, user_id)
            new_paths = await _paths(session, scopes) if scopes is not None else None
            if new_paths is not None or role is not None:
                new_paths = new_paths if new_paths is not None else await _user_paths(session, user)
                require_reach(principal, role or user.role, new_paths, f"user {user_id} as changed")
            if role is not None:
                user.role = role
            if disabled is not None:
                user.disabled = disabled
            if scopes is not None:
                await session.execute(delete(UserScope).where(UserScope.user_id == user_id))
                session.add_all(UserScope(user_id=user_id, organisation_id=s) for s in set(scopes))
        return await self.get(principal, user_id)

    async def delete(self, principal: Principal, user_id: int) -> None:
        principal.require(Permission.users_manage)
        if user_id == principal.user_id:
            raise Forbidden("you cannot delete yourself")
        async with self._db.session() as session, session.begin():
            await session.delete(await self._reachable(session, principal, user_id))

    async def get(self, principal: Principal, user_id: int) -> UserView:
        async with self._db.session() as session:
            if principal.user_id == user_id:
                return await self._view(session, await self._load(session, user_id))
            principal.require(Permission.users_manage)
            return await self._view(session, await self._reachable(session, principal, user_id))

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

    async def _set_password(self, principal: Principal, username: str, password: str) -> None:
        principal.require(Permission.users_manage)
        async with self._db.session() as session:
            user = await session.scalar(select(User).where(User.username == username))
            if user is None:
                raise NotFound(f"user {username} does not exist")
            require_reach(
                principal, user.role, await _user_paths(session, user), f"user {username}"
            )
        await self._store_password(user.id, username, password)

    async def _store_password(self, user_id: int, username: str, password: str) -> None:
        """Set the hash, then end every session and API token of the user and unlock it."""
        password_hash = await hash_password(password)
        async with self._db.session() as session, session.begin():
            user = await self._load(session, user_id)
            user.password_hash = password_hash
            user.password_changed_at = utcnow()
            user.failed_logins = 0
            user.locked_until = None
        await self._auth.revoke_tokens(user_id)
        self._auth.unlock(username)

    @staticmethod
    async def _load(session: AsyncSession, user_id: int) -> User:
        user = await session.get(User, user_id)
        if user is None:
            raise NotFound(f"user {user_id} does not exist")
        return user

    async def _reachable(self, session: AsyncSession, principal: Principal, user_id: int) -> User:
        user = await self._load(session, user_id)
        require_reach(principal, user.role, await _user_paths(session, user), f"user {user_id}")
        return user

    @staticmethod
    async def _view(session: AsyncSession, user: User) -> UserView:
        scopes = (
            await session.scalars(
                select(UserScope.organisation_id).where(UserScope.user_id == user.id)
            )
        ).all()
        locked = user.locked_until is not None and user.locked_until > utcnow()
        return UserView(user.id, user.username, user.role, user.disabled, sorted(scopes), locked)


async def _paths(session: AsyncSession, org_ids: list[str]) -> list[str]:
    """The paths of the organisations ``org_ids``; ``Invalid`` naming any that do not exist."""
    rows = (
        await session.execute(
            select(Organisation.id, Organisation.path).where(Organisation.id.in_(set(org_ids)))
        )
    ).all()
    missing = sorted(set(org_ids) - {row.id for row in rows})
    if missing:
        raise Invalid(f"unknown organisation(s) in scopes: {', '.join(missing)}")
    return [row.path for row in rows]


async def _user_paths(session: AsyncSession, user: User) -> list[str]:
    return list(
        (
            await session.scalars(
                select(Organisation.path)
                .join(UserScope, UserScope.organisation_id == Organisation.id)
                .where(UserScope.user_id == user.id)
            )
        ).all()
    )
