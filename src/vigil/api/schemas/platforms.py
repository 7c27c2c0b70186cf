"""What every GB/T 28181 platform linked to this node shows first: who it is and where it is."""

from __future__ import annotations

from pydantic import BaseModel

__all__ = ["PlatformAddress"]


class PlatformAddress(BaseModel):
    """A lower or upper platform's row ID, SIP identity and address."""

    id: int
    sip_id: str
    domain: str
    name: str
    host: str | None
    port: int | None
    transport: str
