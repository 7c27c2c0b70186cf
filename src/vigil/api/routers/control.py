"""Camera and device control: PTZ, presets, drag-zoom, device commands, device-side recordings.

Thin: validate, call :class:`vigil.gb28181.control.DeviceControls` (which authorises, scopes and
audits), mark the request audited. The console's calls are served as it makes them:
``POST /channels/{id}/ptz {command, speed}`` (``action`` is accepted too), ``GET …/presets →
{items: [{id, name}]}`` and ``POST …/presets/{n}/goto``.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, status
from pydantic import BaseModel, Field, model_validator

from vigil.api.deps import CurrentCaller, CurrentPrincipal, Node
from vigil.api.pagination import decode_cursor, encode_cursor
from vigil.api.schemas.common import CursorQuery, IdPath, Instant, LimitQuery
from vigil.protocols.manscdp import DragZoom

router = APIRouter(tags=["control"])

PtzAction = Literal[
    "left",
    "right",
    "up",
    "down",
    "upleft",
    "upright",
    "downleft",
    "downright",
    "zoom_in",
    "zoom_out",
    "focus_near",
    "focus_far",
    "iris_open",
    "iris_close",
    "stop",
]
PresetNumber = Annotated[int, Path(ge=1, le=255)]


class PtzRequest(BaseModel):
    action: PtzAction | None = None
    command: PtzAction | None = Field(None, description="The console's name for ``action``.")
    speed: int = Field(128, ge=0, le=255)

    @model_validator(mode="after")
    def _one_action(self) -> PtzRequest:
        if (self.action or self.command) is None:
            raise ValueError("action is required")
        return self

    @property
    def chosen(self) -> str:
        return self.action or self.command or "stop"


class PresetRequest(BaseModel):
    action: Literal["set", "call", "delete"]
    number: int = Field(ge=1, le=255)


class PresetOut(BaseModel):
    id: int
    name: str


class PresetList(BaseModel):
    items: list[PresetOut]


class DeviceControlRequest(BaseModel):
    action: Literal["guard", "unguard", "reboot", "record_start", "record_stop", "iframe"]
    channel_id: str | None = Field(None, pattern=r"^[0-9]{20}$")


class DragZoomRequest(BaseModel):
    """A rectangle on a ``length`` × ``width`` picture: its centre and its size."""

    zoom: Literal["in", "out"] = "in"
    length: int = Field(ge=1, le=65535)
    width: int = Field(ge=1, le=65535)
    mid_point_x: int = Field(ge=0, le=65535)
    mid_point_y: int = Field(ge=0, le=65535)
    length_x: int = Field(ge=1, le=65535)
    length_y: int = Field(ge=1, le=65535)


class DeviceRecord(BaseModel):
    name: str | None
    start: datetime | None
    end: datetime | None
    type: str | None
    file_path: str | None
    file_size: int | None


class DeviceRecordPage(BaseModel):
    items: list[DeviceRecord]
    next: str | None


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
            DeviceRecord(
                name=r.name,
                start=_aware(r.start_time, zone),
                end=_aware(r.end_time, zone),
                type=r.type,
                file_path=r.file_path,
                file_size=r.file_size,
            )
            for r in page
        ],
        next=encode_cursor(offset + limit) if more else None,
    )
