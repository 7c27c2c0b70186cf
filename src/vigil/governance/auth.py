"""Logging in and turning a bearer token back into a Principal.

Tokens are random; only their SHA-256 is stored, so a copy of the database yields no usable
token. Login attempts are limited per source address (rate limit), and failed ones count per
(source address, account) (lockout, see ``login_lockout``); every attempt is audited. Every
failure answers alike and costs one password check, so neither existence nor a lock shows.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from vigil.config import Settings
from vigil.errors import Forbidden, RateLimited, Unauthorized
from vigil.governance.audit import AuditLog
from vigil.governance.audited import Caller, audited
from vigil.governance.login_lockout import LoginLockout
from vigil.governance.passwords import HashCost, Passwords
from vigil.governance.permissions import (
    ROLE_PERMISSIONS,
    Credential,
    Permission,
    Principal,
)
from vigil.governance.rate_limit import SlidingWindowLimiter
from vigil.governance.user_scopes import scope_paths_of
from vigil.store.database import Database
from vigil.store.models import AccessToken, User
from vigil.store.types import utcnow

__all__ = ["AuthService", "IssuedToken", "token_digest"]

SESSION, API = "session", "api"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A token shown to its owner once; Vigil keeps only its digest."""

    token: str
    expires_at: datetime | None


class AuthService:
    """Login, token checks and API token management."""

    def __init__(self, db: Database, audit: AuditLog, settings: Settings) -> None:
        self._db = db
        self._audit = audit
        self._settings = settings
        self.passwords = Passwords(
            HashCost(settings.password_hash_memory_kib, settings.password_hash_time_cost)
        )
        self._limiter = SlidingWindowLimiter(settings.login_rate_per_minute, 60.0)
        self._lockout = LoginLockout(settings.login_max_failures, settings.lockout_minutes * 60.0)

    async def login(self, username: str, password: str, caller: Caller) -> IssuedToken:
        """A session token, or ``Unauthorized`` with one answer for every failure.

        A wrong password, an unknown user, a disabled account and an address locked out of the
        account all answer the same and cost the same password check, so the answer reveals
        neither whether the account exists nor that it is locked; only the audit record says.
        """
        async with audited(
            self._audit, caller.named(username), "auth.login", "/api/v1/auth/token"
        ) as entry:
            now = time.monotonic()
            address = caller.source or "-"
            if not self._limiter.allow(address, now):
                raise RateLimited(
                    "too many login attempts from this address; wait a minute",
                    code="login.rate_limited",
                )
            # The transaction is committed before answering, so the lock mark survives the error.
            issued, outcome = await self._check(username, password, (address, username), now)
            if issued is None:
                entry.outcome = outcome
                raise Unauthorized("wrong username or password", code="login.refused")
        return issued

    async def _check(
        self, username: str, password: str, key: tuple[str, str], now: float
    ) -> tuple[IssuedToken | None, str]:
        """The session token (or None) and the login's outcome for the audit record."""
        locked = self._lockout.locked(key, now)
        issued: IssuedToken | None = None
        async with self._db.session() as session, session.begin():
            user = await session.scalar(select(User).where(User.username == username))
            valid = await self.passwords.verify(user.password_hash if user else None, password)
            if locked:
                outcome = "locked"
            elif not valid:
                outcome = "denied"
                if self._lockout.failed(key, now) and user is not None:
                    # For administrators' eyes only (users list): locked from some address.
                    user.locked_until = utcnow() + timedelta(minutes=self._settings.lockout_minutes)
            elif user is None or user.disabled:
                outcome = "disabled"
            else:
                outcome = "ok"
                self._lockout.succeeded(key)
                if self.passwords.needs_rehash(user.password_hash):
                    user.password_hash = await self.passwords.hash(password)
                issued = self._new_token(
                    session=session,
                    user_id=user.id,
                    kind=SESSION,
                    name=None,
                    permissions=None,
                    ttl=timedelta(minutes=self._settings.token_ttl_minutes),
                )
        return issued, outcome

    def unlock(self, username: str) -> None:
        """Forget failed logins of ``username`` from every address (its password was set)."""
        self._lockout.forget_account(username)

    async def authenticate(self, token: str) -> Principal:
        return await self._principal(AccessToken.token_hash == token_digest(token))

    async def session_principal(self, access_id: int) -> Principal:
        """The caller behind the access token row ``access_id`` (``Principal.access_id``), as of
        now: checked as :meth:`authenticate` checks a token, for what was issued to a session
        and must end with it (video URLs)."""
        return await self._principal(AccessToken.id == access_id)

    async def _principal(self, which: ColumnElement[bool]) -> Principal:
        async with self._db.session() as session:
            row = (
                await session.execute(
                    select(AccessToken, User)
                    .join(User, User.id == AccessToken.user_id)
                    .where(which)
                )
            ).first()
            if row is None:
                raise Unauthorized("invalid token", code="token.invalid")
            access, user = row
            if access.revoked or user.disabled:
                raise Unauthorized("token revoked", code="token.revoked")
            if access.expires_at is not None and access.expires_at <= utcnow():
                raise Unauthorized("token expired", code="token.expired")
            scopes = await scope_paths_of(session, user)
        permissions = ROLE_PERMISSIONS[user.role]
        if access.permissions is not None:
            permissions = permissions & frozenset(Permission(p) for p in access.permissions)
        via = Credential.session if access.kind == SESSION else Credential.api_token
        return Principal(
            user.id,
            user.username,
            user.role,
            permissions,
            scopes,
            access_id=access.id,
            credential=via,
        )

    async def create_api_token(
        self, principal: Principal, name: str, permissions: list[Permission], days: int | None
    ) -> IssuedToken:
        """A long-lived token carrying at most its owner's permissions; minted by a login
        session only, so that a token cannot outlive its revocation by copying itself."""
        principal.require_login_session("create API tokens")
        extra = set(permissions) - principal.permissions
        if extra:
            raise Forbidden(f"cannot grant permissions you lack: {sorted(p.value for p in extra)}")
        if principal.user_id is None:
            raise Forbidden("only users own API tokens")
        async with self._db.session() as session, session.begin():
            return self._new_token(
                session=session,
                user_id=principal.user_id,
                kind=API,
                name=name,
                permissions=[p.value for p in permissions],
                ttl=timedelta(days=days) if days else None,
            )

    async def revoke_tokens(self, user_id: int) -> int:
        """End every login session and API token of a user (after a password change); returns
        how many were live."""
        async with self._db.session() as session, session.begin():
            tokens = (
                await session.scalars(
                    select(AccessToken).where(
                        AccessToken.user_id == user_id, AccessToken.revoked.is_(False)
                    )
                )
            ).all()
            for access in tokens:
                access.revoked = True
        return len(tokens)

    async def logout(self, token: str) -> None:
        async with self._db.session() as session, session.begin():
            access = await session.scalar(
                select(AccessToken).where(AccessToken.token_hash == token_digest(token))
            )
            if access is not None:
                access.revoked = True

    @staticmethod
    def _new_token(
        *,
        session: AsyncSession,
        user_id: int,
        kind: str,
        name: str | None,
        permissions: list[str] | None,
        ttl: timedelta | None,
    ) -> IssuedToken:
        token = secrets.token_urlsafe(32)
        expires = utcnow() + ttl if ttl else None
        access = AccessToken(
            user_id=user_id,
            token_hash=token_digest(token),
            kind=kind,
            name=name,
            permissions=permissions,
            expires_at=expires,
        )
        session.add(access)
        return IssuedToken(token, expires)
