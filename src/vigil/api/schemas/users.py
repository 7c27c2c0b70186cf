"""Users, logins and tokens on the wire."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from vigil.api.schemas.common import DigitsId, Public, Strict, printable
from vigil.governance.permissions import Permission, Role

Username = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.@-]{1,64}$")]
Password = Annotated[str, printable(256)]


class UserCreate(Strict):
    """A new account: name, password, role and organisation scopes."""

    username: Username
    password: Password
    role: Role
    scopes: list[DigitsId] = Field(default_factory=list, max_length=100)


class UserUpdate(Strict):
    """The changes to an account: role, scopes, disabled."""

    role: Role | None = None
    scopes: list[DigitsId] | None = Field(None, max_length=100)
    disabled: bool | None = None


class UserPublic(Public):
    """An account as the API shows it (never its password)."""

    id: int
    username: str
    role: Role
    disabled: bool
    scopes: list[str]
    locked: bool = Field(
        description="Failed logins have lately locked some address out of this account "
        "(the lock holds per address: its owner logs in from elsewhere)"
    )
    clearance: int = Field(
        description="The most sensitive channels the user may see: 0 public … 3 secret"
    )


class Me(UserPublic):
    """The caller's own account with the permissions it holds."""

    permissions: list[Permission]


class PasswordChange(Strict):
    """One's own password change: the current password and the new one."""

    current_password: Password
    new_password: Password


class PasswordPolicy(BaseModel):
    """The rule every new password must meet, in words and parameters."""

    rule: str = Field(description="The password rule in English words, as refusals state it")
    code: str = Field(
        default="password.rule", description="The rule as a stable code, for a client to word it"
    )
    params: dict[str, int] = Field(
        description="The rule's figures: min_length, min_kinds, long_length, min_distinct, run"
    )


class TokenResponse(BaseModel):
    """OAuth2 token response (RFC 6749 §5.1) plus the expiry as a time."""

    access_token: str
    token_type: str = "bearer"
    expires_at: datetime | None


class ApiTokenCreate(Strict):
    """A new API token: its name, permissions and lifetime."""

    name: Annotated[str, printable(64, 1)]
    permissions: list[Permission] = Field(min_length=1, max_length=len(Permission))
    days: int | None = Field(None, ge=1, le=3650, description="Lifetime; null for no expiry")
