"""Upper platforms (Vigil as the lower platform of a cascade) and their share entries."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from vigil.api.schemas.common import DigitsId, Name, Strict, printable
from vigil.api.schemas.platforms import PlatformAddress

__all__ = [
    "NetworkingRate",
    "PlatformCountersPublic",
    "ShareEntryModel",
    "SharesBody",
    "UpperPlatformCreate",
    "UpperPlatformCreated",
    "UpperPlatformPublic",
    "UpperPlatformUpdate",
]

SipId = Annotated[str, StringConstraints(pattern=r"^[0-9]{20}$")]
Domain = Annotated[str, StringConstraints(pattern=r"^[0-9]{10}$")]
Host = Annotated[str, printable(255, 1)]
Password = Annotated[str, printable(128, 1)]
Charset = Literal["GB2312", "GB18030", "GBK", "UTF-8"]


class _Optional(Strict):
    name: Name | None = None
    register_expires: int | None = Field(None, ge=30, le=86400)
    keepalive_interval: int | None = Field(None, ge=1, le=3600)
    keepalive_missed: int | None = Field(None, ge=1, le=20)
    charset: Charset | None = None
    edition: Literal["2016", "2022"] | None = None
    items_per_message: int | None = Field(None, ge=1, le=100)
    local_sip_id: SipId | None = None
    enabled: bool | None = None


class UpperPlatformCreate(_Optional):
    """A new upper platform to register with."""

    sip_id: SipId = Field(description="The upper platform's 20-digit SIP ID")
    domain: Domain
    host: Host
    port: int = Field(ge=1, le=65535)
    transport: Literal["udp", "tcp"] = "udp"
    password: Password = Field(description="Digest password Vigil registers with (write-only)")
    share_all: bool = Field(False, description="Share every channel the creating user may see")


class UpperPlatformUpdate(_Optional):
    """Changes to an upper platform; fields left out stay as they are."""

    sip_id: SipId | None = None
    domain: Domain | None = None
    host: Host | None = None
    port: int | None = Field(None, ge=1, le=65535)
    transport: Literal["udp", "tcp"] | None = None
    password: Password | None = None
    share_all: bool | None = None


class UpperPlatformCreated(BaseModel):
    """The ID given to a new upper platform."""

    id: int


class PlatformCountersPublic(BaseModel):
    """What an upper platform has asked of this node, counted since start."""

    requests: int
    streams: int
    failures: int
    registrations: int
    register_failures: int
    keepalives: int


class UpperPlatformPublic(PlatformAddress):
    """A configured upper platform with its link's live state; never the password."""

    enabled: bool
    register_expires: int
    keepalive_interval: int
    keepalive_missed: int
    charset: str
    edition: str
    items_per_message: int
    local_sip_id: str | None
    share_all: bool
    created_at: datetime
    registered: bool
    last_error: str | None = Field(description="Why the link is down, in English")
    last_error_code: str | None = Field(description="The same as a code (link.unanswered, …)")
    last_error_params: dict[str, str | int | float | bool | None] = Field(
        description="The figures of last_error_code"
    )
    last_registered_at: datetime | None
    counters: PlatformCountersPublic


class ShareEntryModel(Strict):
    """One thing shared with an upper platform: a channel, organisation or group."""

    kind: Literal["channel", "organisation", "virtual_group"]
    target_id: DigitsId
    outward_id: SipId | None = Field(None, description="The ID the upper platform sees instead")
    parent_group_id: SipId | None = Field(
        None, description="The business group (215) or virtual organisation (216) it hangs under"
    )


class SharesBody(Strict):
    """The whole list of what is shared with an upper platform (it replaces the old)."""

    entries: list[ShareEntryModel] = Field(max_length=10_000)


class NetworkingRate(BaseModel):
    """Channels shared upward (to a registered upper platform) and online, over channels on file."""

    shared_online: int
    channels: int
    rate: float | None
