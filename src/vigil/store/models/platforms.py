"""Cascade partners and virtual groups (GB/T 28181 type codes 215 and 216)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, Column, Enum, ForeignKey, Integer, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from vigil.store.base import Base
from vigil.store.types import UTCDateTime, utcnow

__all__ = [
    "Platform",
    "PlatformDirection",
    "VirtualGroup",
    "VirtualGroupKind",
    "virtual_group_channels",
]


class PlatformDirection(enum.StrEnum):
    """An upper platform is one Vigil registers to; a lower one registers to Vigil."""

    UPPER = "upper"
    LOWER = "lower"


class Platform(Base):
    """A cascade partner."""

    __tablename__ = "platforms"
    __table_args__ = (UniqueConstraint("direction", "sip_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
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


virtual_group_channels = Table(
    "virtual_group_channels",
    Base.metadata,
    Column("group_id", ForeignKey("virtual_groups.id", ondelete="CASCADE"), primary_key=True),
    Column("channel_id", ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True),
)
