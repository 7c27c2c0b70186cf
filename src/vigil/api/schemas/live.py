"""Live views on the wire."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class LiveStart(BaseModel):
    """An opened live view: its fMP4 and HLS URLs and expiry."""

    session: str
    ws_fmp4: str
    hls: str
    expires_at: datetime
