"""Media sessions on the wire: each call as the media service describes it (``SessionInfo``)."""

from __future__ import annotations

from pydantic import BaseModel

from vigil.gb28181.calls.media_sessions import SessionInfo

__all__ = ["SessionInfo", "SessionList"]


class SessionList(BaseModel):
    """The media calls the node holds."""

    items: list[SessionInfo]
