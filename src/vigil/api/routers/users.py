"""User administration (users:manage). The user service audits every change itself, so these
handlers mark their requests audited."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Request, status

from vigil.api.deps import CurrentPrincipal, Node, SourceAddress
from vigil.api.pagination import decode_cursor, page_of
from vigil.api.schemas.common import CursorQuery, IntIdPath, LimitQuery, Page
from vigil.api.schemas.users import UserCreate, UserPublic, UserUpdate

router = APIRouter(prefix="/users", tags=["users"])


@router.get("", response_model=Page[UserPublic])
async def list_users(
    principal: CurrentPrincipal, node: Node, limit: LimitQuery = 50, cursor: CursorQuery = None
) -> Page[UserPublic]:
    after = decode_cursor(cursor, int)
    users = await node.users.page(principal, after, limit + 1)
    return page_of(users, limit, lambda u: UserPublic(**asdict(u)), lambda u: u.id)


@router.post("", response_model=UserPublic, status_code=status.HTTP_201_CREATED)
async def create_user(
    body: UserCreate,
    request: Request,
    principal: CurrentPrincipal,
    node: Node,
    source: SourceAddress,
) -> UserPublic:
    request.state.audited = True
    view = await node.users.create(
        principal, body.username, body.password, body.role, body.scopes, source
    )
    return UserPublic(**asdict(view))


@router.get("/{user_id}", response_model=UserPublic)
async def get_user(user_id: IntIdPath, principal: CurrentPrincipal, node: Node) -> UserPublic:
    return UserPublic(**asdict(await node.users.get(principal, user_id)))


@router.patch("/{user_id}", response_model=UserPublic)
async def update_user(
    user_id: IntIdPath,
    body: UserUpdate,
    request: Request,
    principal: CurrentPrincipal,
    node: Node,
    source: SourceAddress,
) -> UserPublic:
    request.state.audited = True
    view = await node.users.update(
        principal, user_id, body.role, body.scopes, body.disabled, source
    )
    return UserPublic(**asdict(view))


@router.delete("/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_user(
    user_id: IntIdPath,
    request: Request,
    principal: CurrentPrincipal,
    node: Node,
    source: SourceAddress,
) -> None:
    request.state.audited = True
    await node.users.delete(principal, user_id, source)
