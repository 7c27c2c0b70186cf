"""Logging in and turning a bearer token back into a Principal.

Tokens are random; only their SHA-256 is stored, so a copy of the database yields no usable
token. Failed logins count per account (lockout) and per source address (rate limit); both are
audited, and an unknown username costs the same time as a wrong password.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from vigil.config import Settings
from vigil.errors import Forbidden, Locked, RateLimited, Unauthorized
from vigil.governance.audit import AuditEvent, AuditLog
from vigil.governance.passwords import hash_password, needs_rehash, verify_password
from vigil.governance.permissions import (
    ROLE_PERMISSIONS,
    UNSCOPED_ROLES,
    Credential,
    Permission,
    Principal,
)
from vigil.governance.rate_limit import SlidingWindowLimiter
from vigil.store.database import Database
from vigil.store.models import AccessToken, Organisation, User, UserScope
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
        self._limiter = SlidingWindowLimiter(settings.login_rate_per_minute, 60.0)

    async def login(self, username: str, password: str, source: str | None) -> IssuedToken:
        if not self._limiter.allow(source or "-", time.monotonic()):
            await self._audit_login(username, source, "rate-limited")
            raise RateLimited("too many login attempts from this address; wait a minute")
        issued: IssuedToken | None = None
        async with self._db.session() as session, session.begin():
            user = await session.scalar(select(User).where(User.username == username))
            now = utcnow()
            if user is not None and user.locked_until is not None and user.locked_until > now:
                outcome = "locked"
            elif not await verify_password(user.password_hash if user else None, password):
                outcome = "denied"
                if user is not None:
                    self._count_failure(user, now)
            elif user is None or user.disabled:
                outcome = "disabled"
            else:
                outcome = "ok"
                user.failed_logins = 0
                user.locked_until = None
                if needs_rehash(user.password_hash):
                    user.password_hash = await hash_password(password)
                issued = self._new_token(
                    session=session,
                    user_id=user.id,
                    kind=SESSION,
                    name=None,
                    permissions=None,
                    ttl=timedelta(minutes=self._settings.token_ttl_minutes),
                )
        # The transaction is committed before answering, so failure counts survive the error.
        await self._audit_login(username, source, outcome)
        if outcome == "locked":
            assert user is not None and user.locked_until is not None
            raise Locked(f"account locked until {user.locked_until.isoformat()}")
        if issued is None:
            raise Unauthorized("wrong username or password")
        return issued

    def _count_failure(self, user: User, now: datetime) -> None:
        user.failed_logins += 1
        if user.failed_logins >= self._settings.login_max_failures:
            user.locked_until = now + timedelta(minutes=self._settings.lockout_minutes)
            user.failed_logins = 0

    async def authenticate(self, token: str) -> Principal:
        async with self._db.session() as session:
            row = (
                await session.execute(
                    select(AccessToken, User)
                    .join(User, User.id == AccessToken.user_id)
                    .where(AccessToken.token_hash == token_digest(token))
                )
            ).first()
            if row is None:
                raise Unauthorized("invalid token")
            access, user = row
            if access.revoked or user.disabled:
                raise Unauthorized("token revoked")
            if access.expires_at is not None and access.expires_at <= utcnow():
                raise Unauthorized("token expired")
            paths = list(
                (
                    await session.scalars(
                        select(Organisation.path)
                        .join(UserScope, UserScope.organisation_id == Organisation.id)
                        .where(UserScope.user_id == user.id)
                    )
                ).all()
            )
        permissions = ROLE_PERMISSIONS[user.role]
        if access.permissions is not None:
            permissions = permissions & frozenset(Permission(p) for p in access.permissions)
        scopes = None if not paths and user.role in UNSCOPED_ROLES else tuple(paths)
        via = Credential.session if access.kind == SESSION else Credential.api_token
        return Principal(user.id, user.username, user.role, permissions, scopes, via)

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

    async def _audit_login(self, username: str, source: str | None, outcome: str) -> None:
        await self._audit.append(
            AuditEvent(
                actor=username[:64],
                action="auth.login",
                resource="/api/v1/auth/token",
                outcome=outcome,
                source=source,
            )
        )
