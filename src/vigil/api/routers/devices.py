"""Devices and the channels under each."""

from __future__ import annotations

from fastapi import APIRouter, status

from vigil.api.deps import CurrentPrincipal, Node
from vigil.api.pagination import decode_cursor, page_of
from vigil.api.schemas.catalog import ChannelPublic, DeviceCreate, DeviceFields, DevicePublic
from vigil.api.schemas.common import CursorQuery, IdPath, LimitQuery, Page
from vigil.api.services import Devices

router = APIRouter(prefix="/devices", tags=["devices"])


@router.get("", response_model=Page[DevicePublic])
async def list_devices(
    principal: CurrentPrincipal,
    devices: Devices,
    limit: LimitQuery = 100,
    cursor: CursorQuery = None,
) -> Page[DevicePublic]:
    rows = await devices.page(principal, decode_cursor(cursor, str), limit + 1)
    return page_of(rows, limit, DevicePublic.model_validate, lambda d: d.id)


@router.post("", response_model=DevicePublic, status_code=status.HTTP_201_CREATED)
async def create_device(
    body: DeviceCreate, principal: CurrentPrincipal, devices: Devices
) -> DevicePublic:
    fields = body.model_dump(exclude={"id"}, exclude_none=True)
    return DevicePublic.model_validate(await devices.create(principal, body.id, fields))


@router.get("/{device_id}", response_model=DevicePublic)
async def get_device(
    device_id: IdPath, principal: CurrentPrincipal, devices: Devices
) -> DevicePublic:
    return DevicePublic.model_validate(await devices.get(principal, device_id))


@router.patch("/{device_id}", response_model=DevicePublic)
async def update_device(
    device_id: IdPath, body: DeviceFields, principal: CurrentPrincipal, devices: Devices
) -> DevicePublic:
    changes = body.model_dump(exclude_unset=True)
    return DevicePublic.model_validate(await devices.update(principal, device_id, changes))


@router.delete("/{device_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_device(device_id: IdPath, principal: CurrentPrincipal, devices: Devices) -> None:
    await devices.delete(principal, device_id)


@router.get("/{device_id}/channels", response_model=Page[ChannelPublic])
async def list_device_channels(
    device_id: IdPath,
    principal: CurrentPrincipal,
    node: Node,
    limit: LimitQuery = 100,
    cursor: CursorQuery = None,
) -> Page[ChannelPublic]:
    await node.devices.get(principal, device_id)
    rows = await node.channels.page(
        principal, decode_cursor(cursor, str), limit + 1, device_id=device_id
    )
    return page_of(rows, limit, ChannelPublic.model_validate, lambda c: c.id)
