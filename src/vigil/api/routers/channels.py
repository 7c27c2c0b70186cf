"""Channels: the unit of view, record and share."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from vigil.api.deps import CurrentCaller, CurrentPrincipal, Node
from vigil.api.pagination import decode_cursor, page_of
from vigil.api.schemas.access_policy import Sensitivity
from vigil.api.schemas.catalog import ChannelCreate, ChannelFields, ChannelPublic
from vigil.api.schemas.common import CursorQuery, IdPath, LimitQuery, Page
from vigil.api.services import Channels

router = APIRouter(prefix="/channels", tags=["channels"])


@router.get("", response_model=Page[ChannelPublic])
async def list_channels(
    principal: CurrentPrincipal,
    channels: Channels,
    organisation_id: Annotated[str | None, Query(pattern=r"^[0-9]{1,20}$")] = None,
    limit: LimitQuery = 100,
    cursor: CursorQuery = None,
) -> Page[ChannelPublic]:
    rows = await channels.page(
        principal, decode_cursor(cursor, str), limit + 1, organisation_id=organisation_id
    )
    return page_of(rows, limit, ChannelPublic.model_validate, lambda c: c.id)


@router.post("", response_model=ChannelPublic, status_code=status.HTTP_201_CREATED)
async def create_channel(
    body: ChannelCreate, principal: CurrentPrincipal, channels: Channels
) -> ChannelPublic:
    fields = body.model_dump(exclude={"id", "device_id"}, exclude_none=True)
    channel = await channels.create(principal, body.id, body.device_id, fields)
    return ChannelPublic.model_validate(channel)


@router.get("/{channel_id}", response_model=ChannelPublic)
async def get_channel(
    channel_id: IdPath, principal: CurrentPrincipal, channels: Channels
) -> ChannelPublic:
    return ChannelPublic.model_validate(await channels.get(principal, channel_id))


@router.patch("/{channel_id}", response_model=ChannelPublic)
async def update_channel(
    channel_id: IdPath, body: ChannelFields, principal: CurrentPrincipal, channels: Channels
) -> ChannelPublic:
    changes = body.model_dump(exclude_unset=True)
    return ChannelPublic.model_validate(await channels.update(principal, channel_id, changes))


@router.delete("/{channel_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_channel(
    channel_id: IdPath, principal: CurrentPrincipal, channels: Channels
) -> None:
    await channels.delete(principal, channel_id)


@router.put("/{channel_id}/sensitivity", response_model=Sensitivity)
async def set_sensitivity(
    channel_id: IdPath, body: Sensitivity, caller: CurrentCaller, node: Node
) -> Sensitivity:
    """Administrators (``users:manage`` and ``catalog:write``, channel in scope); audited."""
    level = await node.access_policy_admin.set_sensitivity(caller, channel_id, body.sensitivity)
    return Sensitivity(sensitivity=level)
