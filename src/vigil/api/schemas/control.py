"""Camera and device control on the wire: PTZ, presets, drag-zoom, commands, device records."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator

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


class PtzRequest(BaseModel):
    """A PTZ move (or stop) and its speed."""

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
    """Set, call or delete a preset."""

    action: Literal["set", "call", "delete"]
    number: int = Field(ge=1, le=255)


class PresetOut(BaseModel):
    """A preset the device reports."""

    id: int
    name: str


class PresetList(BaseModel):
    """The presets of a channel."""

    items: list[PresetOut]


class DeviceControlRequest(BaseModel):
    """A device command (guard, reboot, record…), for a channel or the device."""

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
    """One recording the device keeps."""

    name: str | None
    start: datetime | None
    end: datetime | None
    type: str | None
    file_path: str | None
    file_size: int | None


class DeviceRecordPage(BaseModel):
    """A page of the device's recordings."""

    items: list[DeviceRecord]
    next: str | None
