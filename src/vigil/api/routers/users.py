"""User administration (users:manage). The user service audits every change itself."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, status

from vigil.api.deps import CurrentCaller, CurrentPrincipal, Node
from vigil.api.pagination import decode_cursor, page_of
from vigil.api.schemas.access_policy import Clearance
from vigil.api.schemas.common import CursorQuery, IntIdPath, LimitQuery, Page
from vigil.api.schemas.users import UserCreate, UserPublic, UserUpdate
from vigil.api.services import Users

router = APIRouter(prefix="/users", tags=["users"])


@router.get("", response_model=Page[UserPublic])
async def list_users(
    principal: CurrentPrincipal, node: Node, limit: LimitQuery = 50, cursor: CursorQuery = None
) -> Page[UserPublic]:
    after = decode_cursor(cursor, int)
    users = await node.users.page(principal, after, limit + 1)
    return page_of(users, limit, lambda u: UserPublic(**asdict(u)), lambda u: u.id)


@router.post("", response_model=UserPublic, status_code=status.HTTP_201_CREATED)
async def create_user(body: UserCreate, caller: CurrentCaller, users: Users) -> UserPublic:
    view = await users.create(caller, body.username, body.password, body.role, body.scopes)
    return UserPublic(**asdict(view))


@router.get("/{user_id}", response_model=UserPublic)
async def get_user(user_id: IntIdPath, principal: CurrentPrincipal, users: Users) -> UserPublic:
    return UserPublic(**asdict(await users.get(principal, user_id)))


@router.patch("/{user_id}", response_model=UserPublic)
async def update_user(
    user_id: IntIdPath, body: UserUpdate, caller: CurrentCaller, users: Users
) -> UserPublic:
    view = await users.update(caller, user_id, body.role, body.scopes, body.disabled)
    return UserPublic(**asdict(view))


@router.delete("/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_user(user_id: IntIdPath, caller: CurrentCaller, users: Users) -> None:
    await users.delete(caller, user_id)


@router.put("/{user_id}/clearance", response_model=Clearance)
async def set_clearance(
    user_id: IntIdPath, body: Clearance, caller: CurrentCaller, node: Node
) -> Clearance:
    """``users:manage``, the account within reach; audited."""
    level = await node.access_policy_admin.set_clearance(caller, user_id, body.clearance)
    return Clearance(clearance=level)
