"""Login (OAuth2 password flow), logout, the caller's own account and API tokens."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, status
from fastapi.security import OAuth2PasswordRequestForm

from vigil.api.deps import AnonymousCaller, CurrentCaller, CurrentPrincipal, Node, Token
from vigil.api.schemas.users import (
    ApiTokenCreate,
    Me,
    PasswordChange,
    PasswordPolicy,
    TokenResponse,
)
from vigil.api.services import Auth, Users
from vigil.governance.password_policy import PASSWORD_RULE, RULE_PARAMS

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/token", response_model=TokenResponse)
async def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], node: Node, caller: AnonymousCaller
) -> TokenResponse:
    """A session token; the auth service records the attempt, success or not."""
    # PostgreSQL text cannot hold NUL. No username has one (names are printable), so replacing it
    # changes no outcome and keeps the lookup and the audit record storable.
    username = form.username[:64].replace("\x00", "\N{REPLACEMENT CHARACTER}")
    issued = await node.auth.login(username, form.password, caller)
    return TokenResponse(access_token=issued.token, expires_at=issued.expires_at)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(_principal: CurrentPrincipal, auth: Auth, token: Token) -> None:
    """End this session (the principal dependency makes sure the token is valid first)."""
    await auth.logout(token)


@router.get("/me", response_model=Me)
async def me(principal: CurrentPrincipal, users: Users) -> Me:
    assert principal.user_id is not None
    view = await users.get(principal, principal.user_id)
    return Me(**asdict(view), permissions=sorted(principal.permissions))


@router.get("/password-policy", response_model=PasswordPolicy)
async def password_policy() -> PasswordPolicy:
    """The rule every new password must meet (public: it is no secret, and forms show it)."""
    return PasswordPolicy(rule=PASSWORD_RULE, params=RULE_PARAMS)


@router.post("/password", status_code=status.HTTP_204_NO_CONTENT)
async def change_password(body: PasswordChange, caller: CurrentCaller, users: Users) -> None:
    """Change one's own password; the user service records it, success or not."""
    await users.change_own_password(caller, body.current_password, body.new_password)


@router.post("/api-tokens", response_model=TokenResponse, status_code=status.HTTP_201_CREATED)
async def create_api_token(
    body: ApiTokenCreate, principal: CurrentPrincipal, auth: Auth
) -> TokenResponse:
    issued = await auth.create_api_token(principal, body.name, body.permissions, body.days)
    return TokenResponse(access_token=issued.token, expires_at=issued.expires_at)
