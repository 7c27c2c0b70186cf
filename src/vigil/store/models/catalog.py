"""Organisations, devices and channels: the tree every permission and KPI is computed over."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, Enum, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from vigil.store.base import Base
from vigil.store.models.filing import FilingRecord
from vigil.store.types import UTCDateTime, utcnow

__all__ = ["Channel", "Device", "OrgKind", "Organisation"]


class OrgKind(enum.StrEnum):
    """Administrative areas are keyed by civil code; departments and industries hang below them."""

    region = "region"
    department = "department"
    industry = "industry"


class Organisation(Base):
    """A node of the organisation tree.

    ``path`` is the chain of ancestor IDs joined by '/', ending in '/', so that "everything under
    this node" is one indexed prefix match on both engines (scope checks run on every request).
    """

    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    kind: Mapped[OrgKind] = mapped_column(Enum(OrgKind, native_enum=False, length=16))
    parent_id: Mapped[str | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    path: Mapped[str] = mapped_column(String(512), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Device(Base):
    """What registers by SIP or is added as an RTSP/ONVIF source: camera, NVR, encoder, platform."""

    __tablename__ = "devices"

    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    organisation_id: Mapped[str | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    source: Mapped[str] = mapped_column(String(16), default="gb28181")
    # Where an "rtsp", "rtmp" or "file" device's media is (credentials may be in it); GB: none.
    url: Mapped[str | None] = mapped_column(String(1024))
    manufacturer: Mapped[str | None] = mapped_column(String(64))
    model: Mapped[str | None] = mapped_column(String(64))
    firmware: Mapped[str | None] = mapped_column(String(64))
    transport: Mapped[str] = mapped_column(String(8), default="udp")
    host: Mapped[str | None] = mapped_column(String(255))
    port: Mapped[int | None] = mapped_column(Integer)
    gb_version: Mapped[str | None] = mapped_column(String(8))
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    last_keepalive: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # A lower platform's own device row and the devices its catalog lists carry the platform:
    # requests to them go through it, and they are removed with it.
    platform_id: Mapped[int | None] = mapped_column(
        ForeignKey("platforms.id", ondelete="CASCADE"), index=True
    )


class Channel(FilingRecord, Base):
    """One video source of a device: the unit of view, record and share; its filing (备案)
    columns are the :class:`FilingRecord` ones."""

    __tablename__ = "channels"
    # The resource tree counts channels, online ones and loose ones from these indexes alone.
    __table_args__ = (
        Index("ix_channels_organisation_device_status", "organisation_id", "device_id", "status"),
        Index("ix_channels_device_status", "device_id", "status"),
    )

    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(128))
    organisation_id: Mapped[str | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    civil_code: Mapped[str | None] = mapped_column(String(8))
    address: Mapped[str | None] = mapped_column(String(255))
    longitude: Mapped[float | None] = mapped_column(Float)
    latitude: Mapped[float | None] = mapped_column(Float)
    heading: Mapped[float | None] = mapped_column(Float)
    fov: Mapped[float | None] = mapped_column(Float)
    # Mounting height above the ground (m) and tilt below the horizon (degrees), when known.
    mount_height: Mapped[float | None] = mapped_column(Float)
    tilt: Mapped[float | None] = mapped_column(Float)
    ptz_type: Mapped[int | None] = mapped_column(Integer)
    hd: Mapped[bool] = mapped_column(Boolean, default=False)
    key_area_category: Mapped[str | None] = mapped_column(String(32))
    industry: Mapped[str | None] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(16), default="offline")
    # 0 public … 3 secret: who may see it is decided in vigil.governance.access_policy.
    sensitivity: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # How long its recordings are kept (vigil.media.recording.retention_class).
    retention_class: Mapped[str] = mapped_column(
        String(16), default="standard", server_default="standard"
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Indexed: its maximum is part of the resource tree's count fingerprint (catalog/tree_counts).
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, index=True
    )
