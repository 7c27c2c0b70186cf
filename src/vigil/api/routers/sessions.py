"""Media sessions in progress: every GB/T 28181 call (live, playback, download) this node holds."""

from __future__ import annotations

from fastapi import APIRouter

from vigil.api.deps import CurrentPrincipal, Node
from vigil.api.schemas.sessions import SessionList

router = APIRouter(tags=["sessions"])


@router.get("/sessions", response_model=SessionList)
async def list_sessions(principal: CurrentPrincipal, node: Node) -> SessionList:
    """Calls on channels the caller may watch, oldest first, with their receiver's counters."""
    return SessionList(items=await node.gb_media.sessions(principal))
