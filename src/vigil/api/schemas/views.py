"""View renewals on the wire."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class ViewRenewed(BaseModel):
    """A renewed view and its new expiry."""

    session: str
    expires_at: datetime
