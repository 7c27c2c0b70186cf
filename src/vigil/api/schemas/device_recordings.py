"""Device-side recordings on the wire: playback and download jobs."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from vigil.api.schemas.access_policy import CaseNumber, Justified
from vigil.api.schemas.common import Text255
from vigil.api.schemas.mirror import fields_of
from vigil.api.schemas.recordings import JobState, Range
from vigil.gb28181.calls.device_download import DeviceDownloadJob


class DevicePlaybackStart(Range, Justified):
    """A playback of the device's own recording of a range, with its purpose (and case number
    where needed)."""

    speed: float = Field(1.0, ge=0.5, le=8.0)
    transport: Literal["udp", "tcp_passive", "tcp_active"] | None = Field(
        None, description="Media transport; by default the device's preference"
    )


class DevicePlaybackOut(BaseModel):
    """An opened device playback: its WebSocket URL and expiry."""

    session: str
    ws_fmp4: str
    expires_at: datetime


class DeviceDownloadStart(Range):
    """A download of the device's own recording of a range, with its purpose."""

    speed: int = Field(1, ge=1, le=8, description="a=downloadspeed: multiple of real time")
    purpose: Annotated[Text255, Field(min_length=1)]
    case: CaseNumber | None = None


class DeviceDownloadStatus(BaseModel):
    """A device download job and how far it got."""

    __annotations__ = fields_of(DeviceDownloadJob, drop={"directory", "case"})
    state: JobState
