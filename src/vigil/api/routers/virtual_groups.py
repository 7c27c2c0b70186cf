"""Business groups and virtual organisations, and the channels placed in them."""

from __future__ import annotations

from fastapi import APIRouter, status

from vigil.api.deps import CurrentPrincipal
from vigil.api.pagination import decode_cursor, page_of
from vigil.api.schemas.catalog import (
    ChannelIds,
    ChannelPublic,
    VirtualGroupCreate,
    VirtualGroupPublic,
    VirtualGroupUpdate,
)
from vigil.api.schemas.common import CursorQuery, IdPath, LimitQuery, Page
from vigil.api.services import VirtualGroups

router = APIRouter(prefix="/virtual-groups", tags=["virtual-groups"])


@router.get("", response_model=Page[VirtualGroupPublic])
async def list_virtual_groups(
    principal: CurrentPrincipal,
    virtual_groups: VirtualGroups,
    limit: LimitQuery = 100,
    cursor: CursorQuery = None,
) -> Page[VirtualGroupPublic]:
    rows = await virtual_groups.page(principal, decode_cursor(cursor, str), limit + 1)
    return page_of(rows, limit, VirtualGroupPublic.model_validate, lambda g: g.id)


@router.post("", response_model=VirtualGroupPublic, status_code=status.HTTP_201_CREATED)
async def create_virtual_group(
    body: VirtualGroupCreate, principal: CurrentPrincipal, virtual_groups: VirtualGroups
) -> VirtualGroupPublic:
    group = await virtual_groups.create(principal, body.id, body.name, body.parent_id)
    return VirtualGroupPublic.model_validate(group)


@router.get("/{group_id}", response_model=VirtualGroupPublic)
async def get_virtual_group(
    group_id: IdPath, principal: CurrentPrincipal, virtual_groups: VirtualGroups
) -> VirtualGroupPublic:
    return VirtualGroupPublic.model_validate(await virtual_groups.get(principal, group_id))


@router.patch("/{group_id}", response_model=VirtualGroupPublic)
async def rename_virtual_group(
    group_id: IdPath,
    body: VirtualGroupUpdate,
    principal: CurrentPrincipal,
    virtual_groups: VirtualGroups,
) -> VirtualGroupPublic:
    group = await virtual_groups.rename(principal, group_id, body.name)
    return VirtualGroupPublic.model_validate(group)


@router.delete("/{group_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_virtual_group(
    group_id: IdPath, principal: CurrentPrincipal, virtual_groups: VirtualGroups
) -> None:
    await virtual_groups.delete(principal, group_id)


@router.get("/{group_id}/channels", response_model=Page[ChannelPublic])
async def list_group_channels(
    group_id: IdPath,
    principal: CurrentPrincipal,
    virtual_groups: VirtualGroups,
    limit: LimitQuery = 100,
    cursor: CursorQuery = None,
) -> Page[ChannelPublic]:
    rows = await virtual_groups.channels(principal, group_id, decode_cursor(cursor, str), limit + 1)
    return page_of(rows, limit, ChannelPublic.model_validate, lambda c: c.id)


@router.post("/{group_id}/channels", status_code=status.HTTP_204_NO_CONTENT)
async def add_group_channels(
    group_id: IdPath, body: ChannelIds, principal: CurrentPrincipal, virtual_groups: VirtualGroups
) -> None:
    await virtual_groups.add_channels(principal, group_id, body.channel_ids)


@router.delete("/{group_id}/channels/{channel_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_group_channel(
    group_id: IdPath, channel_id: IdPath, principal: CurrentPrincipal, virtual_groups: VirtualGroups
) -> None:
    await virtual_groups.remove_channel(principal, group_id, channel_id)
