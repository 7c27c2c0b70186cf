"""Media sessions on the wire."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class SessionOut(BaseModel):
    """One GB/T 28181 media call the node holds."""

    id: str
    channel_id: str
    device_id: str
    kind: str
    transport: str
    ssrc: str
    port: int
    started: datetime
    viewers: int
    packets: int
    bytes: int
    lost: int


class SessionList(BaseModel):
    """The media calls the node holds."""

    items: list[SessionOut]
