"""Camera and device control: PTZ, presets, drag-zoom, device commands, device-side recordings.

Thin: validate, call :class:`vigil.gb28181.devices.device_control.DeviceControls` (which
authorises, scopes and audits) with the request's caller. The console's calls are served as it
makes them:
``POST /channels/{id}/ptz {command, speed}`` (``action`` is accepted too), ``GET …/presets →
{items: [{id, name}]}`` and ``POST …/presets/{n}/goto``.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from vigil.api.deps import CurrentCaller, CurrentPrincipal, Node
from vigil.api.pagination import decode_cursor, encode_cursor
from vigil.api.schemas.common import CursorQuery, IdPath, Instant, LimitQuery
from vigil.api.schemas.control import (
    DeviceControlRequest,
    DeviceRecord,
    DeviceRecordPage,
    DragZoomRequest,
    PresetList,
    PresetOut,
    PresetRequest,
    PtzRequest,
)
from vigil.api.schemas.from_attrs import from_attrs
from vigil.protocols.manscdp import DragZoom

router = APIRouter(tags=["control"])

PresetNumber = Annotated[int, Path(ge=1, le=255)]


def _aware(value: datetime | None, zone: tzinfo) -> datetime | None:
    """Device times are local without an offset (GB/T 28181 Annex A) unless they carry one."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=zone)


@router.post("/channels/{channel_id}/ptz", status_code=status.HTTP_204_NO_CONTENT)
async def ptz(
    channel_id: IdPath,
    body: PtzRequest,
    caller: CurrentCaller,
    node: Node,
) -> None:
    await node.controls.ptz(caller, channel_id, body.chosen, body.speed)


@router.get("/channels/{channel_id}/presets", response_model=PresetList)
async def list_presets(channel_id: IdPath, principal: CurrentPrincipal, node: Node) -> PresetList:
    presets = await node.controls.presets(principal, channel_id)
    return PresetList(items=[PresetOut(id=p.id, name=p.name) for p in presets])


@router.post("/channels/{channel_id}/presets", status_code=status.HTTP_204_NO_CONTENT)
async def change_preset(
    channel_id: IdPath,
    body: PresetRequest,
    caller: CurrentCaller,
    node: Node,
) -> None:
    await node.controls.preset(caller, channel_id, body.action, body.number)
    if body.action == "call":
        await node.availability.at_preset(channel_id, body.number)


@router.post("/channels/{channel_id}/presets/{number}/goto", status_code=204)
async def goto_preset(
    channel_id: IdPath,
    number: PresetNumber,
    caller: CurrentCaller,
    node: Node,
) -> None:
    await node.controls.preset(caller, channel_id, "call", number)
    await node.availability.at_preset(channel_id, number)  # its reference view applies now


@router.post("/channels/{channel_id}/drag-zoom", status_code=status.HTTP_204_NO_CONTENT)
async def drag_zoom(
    channel_id: IdPath,
    body: DragZoomRequest,
    caller: CurrentCaller,
    node: Node,
) -> None:
    area = DragZoom(**body.model_dump(exclude={"zoom"}))
    await node.controls.drag_zoom(caller, channel_id, body.zoom == "in", area)


@router.post("/devices/{device_id}/control", status_code=status.HTTP_204_NO_CONTENT)
async def device_control(
    device_id: IdPath,
    body: DeviceControlRequest,
    caller: CurrentCaller,
    node: Node,
) -> None:
    await node.controls.device(caller, device_id, body.action, body.channel_id)


@router.get("/channels/{channel_id}/device-records", response_model=DeviceRecordPage)
async def device_records(
    channel_id: IdPath,
    principal: CurrentPrincipal,
    node: Node,
    start: Annotated[Instant, Query()],
    end: Annotated[Instant, Query()],
    limit: LimitQuery = 100,
    cursor: CursorQuery = None,
) -> DeviceRecordPage:
    """The device's own recordings (RecordInfo), in pages; the cursor is an offset."""
    offset = decode_cursor(cursor, int) or 0
    items = await node.controls.records(principal, channel_id, start, end)
    page = items[offset : offset + limit]
    more = offset + limit < len(items)
    zone = node.settings.zone
    return DeviceRecordPage(
        items=[
            from_attrs(
                DeviceRecord,
                r,
                start=_aware(r.start_time, zone),
                end=_aware(r.end_time, zone),
            )
            for r in page
        ],
        next=encode_cursor(offset + limit) if more else None,
    )
