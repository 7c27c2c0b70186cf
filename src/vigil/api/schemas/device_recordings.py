"""Device-side recordings on the wire: playback and download jobs."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from vigil.api.schemas.access_policy import CaseNumber, Justified
from vigil.api.schemas.common import Text255
from vigil.api.schemas.recordings import Range


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

    id: str
    channel_id: str
    device_id: str
    start: datetime
    end: datetime
    speed: int
    purpose: str
    who: str
    created: datetime
    state: Literal["running", "done", "failed"]
    stage: str | None
    error: str | None
    bytes: int
    frames: int
    file: str | None
