"""Live views on the wire."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from vigil.api.schemas.access_policy import Justified
from vigil.api.schemas.masks import UnmaskApproval


class LiveOpen(Justified):
    """What a live view asks besides the channel: to see a masked channel unmasked, the ID of
    the caller's approved unmask request, with a purpose (and a case number where needed)."""

    unmask_approval: UnmaskApproval = None


class LiveStart(BaseModel):
    """An opened live view: its fMP4 and HLS URLs and expiry; how many privacy masks are drawn
    over it, and whether an approved unmask lifted the others."""

    session: str
    ws_fmp4: str
    hls: str
    expires_at: datetime
    masks: int = 0
    unmasked: bool = False
