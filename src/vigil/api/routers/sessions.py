"""Media sessions in progress: every GB/T 28181 call (live, playback, download) this node holds."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel

from vigil.api.deps import CurrentPrincipal, Node

router = APIRouter(tags=["sessions"])


class SessionOut(BaseModel):
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
    items: list[SessionOut]


@router.get("/sessions", response_model=SessionList)
async def list_sessions(principal: CurrentPrincipal, node: Node) -> SessionList:
    """Calls on channels the caller may watch, oldest first, with their receiver's counters."""
    sessions = await node.gb_media.sessions(principal)
    return SessionList(items=[SessionOut.model_validate(s, from_attributes=True) for s in sessions])
