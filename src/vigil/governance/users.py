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

    async def reset_password(self, username: str) -> str:
        """Give ``username`` a new random password (``vigil demo``, ``vigil users passwd``)."""
        password = generate_password()
        await self._set_password(username, password)
        return password

    async def set_password(self, username: str, password: str) -> None:
        check_policy(username, password)
        await self._set_password(username, password)

    async def change_own_password(self, principal: Principal, old: str, new: str) -> None:
        principal.require_login_session("change the password")
        async with self._db.session() as session:
            user = await session.get(User, principal.user_id)
        if user is None or not await verify_password(user.password_hash, old):
            raise Unauthorized("current password is wrong")
        await self.set_password(user.username, new)

    async def create(
        self, principal: Principal, username: str, password: str, role: Role, scopes: list[str]
    ) -> UserView:
        principal.require(Permission.users_manage)
        check_policy(username, password)
        async with self._db.session() as session, session.begin():
            if await session.scalar(select(User.id).where(User.username == username)):
                raise Conflict(f"user {username} already exists")
            await self._check_scopes(session, scopes)
            user = User(username=username, password_hash=await hash_password(password), role=role)
            session.add(user)
            await session.flush()
            session.add_all(UserScope(user_id=user.id, organisation_id=s) for s in scopes)
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
            user = await self._load(session, user_id)
            if role is not None:
                user.role = role
            if disabled is not None:
                user.disabled = disabled
            if scopes is not None:
                await self._check_scopes(session, scopes)
                await session.execute(delete(UserScope).where(UserScope.user_id == user_id))
                session.add_all(UserScope(user_id=user_id, organisation_id=s) for s in scopes)
        return await self.get(principal, user_id)

    async def delete(self, principal: Principal, user_id: int) -> None:
        principal.require(Permission.users_manage)
        if user_id == principal.user_id:
            raise Forbidden("you cannot delete yourself")
        async with self._db.session() as session, session.begin():
            await session.delete(await self._load(session, user_id))

    async def get(self, principal: Principal, user_id: int) -> UserView:
        if principal.user_id != user_id:
            principal.require(Permission.users_manage)
        async with self._db.session() as session:
            return await self._view(session, await self._load(session, user_id))

    async def page(self, principal: Principal, after_id: int | None, limit: int) -> list[UserView]:
        principal.require(Permission.users_manage)
        query = select(User).order_by(User.id).limit(limit)
        if after_id is not None:
            query = query.where(User.id > after_id)
        async with self._db.session() as session:
            return [await self._view(session, u) for u in (await session.scalars(query)).all()]

    async def list_all(self) -> list[UserView]:
        """Every user, for the CLI (which acts as the system)."""
        async with self._db.session() as session:
            users = (await session.scalars(select(User).order_by(User.id))).all()
            return [await self._view(session, u) for u in users]

    async def _set_password(self, username: str, password: str) -> None:
        async with self._db.session() as session, session.begin():
            user = await session.scalar(select(User).where(User.username == username))
            if user is None:
                raise NotFound(f"user {username} does not exist")
            user.password_hash = await hash_password(password)
            user.password_changed_at = utcnow()
            user.failed_logins = 0
            user.locked_until = None
            user_id = user.id
        await self._auth.revoke_tokens(user_id)
        self._auth.unlock(username)

    @staticmethod
    async def _load(session: AsyncSession, user_id: int) -> User:
        user = await session.get(User, user_id)
        if user is None:
            raise NotFound(f"user {user_id} does not exist")
        return user

    @staticmethod
    async def _check_scopes(session: AsyncSession, scopes: list[str]) -> None:
        found = set(
            (
                await session.scalars(select(Organisation.id).where(Organisation.id.in_(scopes)))
            ).all()
        )
        missing: list[str] = sorted(set(scopes) - found)
        if missing:
            raise Invalid(f"unknown organisation(s) in scopes: {', '.join(missing)}")

    @staticmethod
    async def _view(session: AsyncSession, user: User) -> UserView:
        scopes = (
            await session.scalars(
                select(UserScope.organisation_id).where(UserScope.user_id == user.id)
            )
        ).all()
        locked = user.locked_until is not None and user.locked_until > utcnow()
        return UserView(user.id, user.username, user.role, user.disabled, sorted(scopes), locked)
