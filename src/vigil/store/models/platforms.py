"""Cascade partners and virtual groups (GB/T 28181 type codes 215 and 216)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, Column, Enum, ForeignKey, Integer, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from vigil.store.base import Base, Numbered
from vigil.store.types import UTCDateTime, utcnow

__all__ = [
    "Platform",
    "PlatformDirection",
    "PlatformShare",
    "ShareKind",
    "VirtualGroup",
    "VirtualGroupKind",
    "virtual_group_channels",
]


class PlatformDirection(enum.StrEnum):
    """An upper platform is one Vigil registers to; a lower one registers to Vigil."""

    UPPER = "upper"
    LOWER = "lower"


class Platform(Numbered, Base):
    """A cascade partner."""

    __tablename__ = "platforms"
    __table_args__ = (UniqueConstraint("direction", "sip_id"),)

    direction: Mapped[PlatformDirection] = mapped_column(
        Enum(PlatformDirection, native_enum=False, length=8)
    )
    sip_id: Mapped[str] = mapped_column(String(20))
    domain: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(128))
    host: Mapped[str | None] = mapped_column(String(255))
    port: Mapped[int | None] = mapped_column(Integer)
    transport: Mapped[str] = mapped_column(String(8), default="udp")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # What Vigil needs to register to an upper platform; unused for a lower one, which
    # authenticates like any device.
    password: Mapped[str | None] = mapped_column(String(128))
    register_expires: Mapped[int] = mapped_column(Integer, default=3600)
    keepalive_interval: Mapped[int] = mapped_column(Integer, default=60)
    keepalive_missed: Mapped[int] = mapped_column(Integer, default=3)
    charset: Mapped[str] = mapped_column(String(16), default="GB2312")
    edition: Mapped[str] = mapped_column(String(8), default="2016")
    items_per_message: Mapped[int] = mapped_column(Integer, default=20)
    # The ID Vigil presents to this upper platform; the platform's own VIGIL_SIP_ID when unset.
    local_sip_id: Mapped[str | None] = mapped_column(String(20))
    # Share every channel the creating user may see, now and later.
    share_all: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class VirtualGroupKind(enum.StrEnum):
    """Business group (业务分组, 215) at the top, virtual organisations (虚拟组织, 216) below."""

    business_group = "business_group"
    virtual_organisation = "virtual_organisation"


class VirtualGroup(Base):
    """A node of a virtual tree that arranges channels independently of the organisation tree."""

    __tablename__ = "virtual_groups"

    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    kind: Mapped[VirtualGroupKind] = mapped_column(
        Enum(VirtualGroupKind, native_enum=False, length=24)
    )
    parent_id: Mapped[str | None] = mapped_column(
        ForeignKey("virtual_groups.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The lower platform whose catalog brought the group in (None: made here); removed with it.
    platform_id: Mapped[int | None] = mapped_column(
        ForeignKey("platforms.id", ondelete="CASCADE"), index=True
    )


class ShareKind(enum.StrEnum):
    """What one share entry names: a channel, an organisation subtree or a virtual group."""

    channel = "channel"
    organisation = "organisation"
    virtual_group = "virtual_group"


class PlatformShare(Numbered, Base):
    """One entry of what an upper platform may see; an outward ID replaces Vigil's own there."""

    __tablename__ = "platform_shares"
    __table_args__ = (UniqueConstraint("platform_id", "kind", "target_id"),)

    platform_id: Mapped[int] = mapped_column(
        ForeignKey("platforms.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ShareKind] = mapped_column(Enum(ShareKind, native_enum=False, length=16))
    target_id: Mapped[str] = mapped_column(String(20))
    outward_id: Mapped[str | None] = mapped_column(String(20))
    # The virtual group (215/216) the shared item hangs under in the tree the upper platform sees.
    parent_group_id: Mapped[str | None] = mapped_column(String(20))


virtual_group_channels = Table(
    "virtual_group_channels",
    Base.metadata,
    Column("group_id", ForeignKey("virtual_groups.id", ondelete="CASCADE"), primary_key=True),
    Column("channel_id", ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True),
)
