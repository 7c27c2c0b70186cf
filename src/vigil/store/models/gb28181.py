"""What the GB/T 28181 server keeps beside the catalog: credentials, registrations, status history,
alarms and positions.

The registration lives in its own table rather than on ``devices`` so that the digest secret is
in a row no catalog query or API schema ever reads. The secret is HA1 = MD5(device ID:realm:
password), never the password: digest needs nothing more, and a leaked row does not give away a
password used elsewhere (HA1 still registers as that device in that realm, so the row stays
secret). ``device_status_events`` is the history the
availability figures are computed from: every online/offline transition with its reason.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from vigil.store.base import Base, Numbered
from vigil.store.types import UTCDateTime, utcnow

__all__ = ["DeviceAlarm", "DevicePosition", "DeviceStatusEvent", "GbRegistration"]


class GbRegistration(Base):
    """A device's digest secret (HA1) and its current registration (contact, expiry)."""

    __tablename__ = "gb_registrations"

    device_id: Mapped[str] = mapped_column(
        ForeignKey("devices.id", ondelete="CASCADE"), primary_key=True
    )
    # Clear text as stored before revision 0015: converted to HA1 and emptied at start, never set.
    sip_password: Mapped[str | None] = mapped_column(String(128))
    # MD5(device_id:realm:password), lower-case hex, and the realm (SIP domain) it was made for.
    sip_ha1: Mapped[str | None] = mapped_column(String(64))
    sip_realm: Mapped[str | None] = mapped_column(String(64))
    contact: Mapped[str | None] = mapped_column(String(255))
    registered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class _DeviceHistory(Numbered):
    """Columns of a row in a device's history: its own ID, the device, when (by default now)."""

    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class DeviceStatusEvent(_DeviceHistory, Base):
    """One transition: online or not, why (registered, keepalive_timeout, …) and from where."""

    __tablename__ = "device_status_events"

    online: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(String(32))
    address: Mapped[str | None] = mapped_column(String(64))


class DeviceAlarm(_DeviceHistory, Base):
    """An alarm a device reported (GB/T 28181 Notify Alarm)."""

    __tablename__ = "device_alarms"

    source_id: Mapped[str] = mapped_column(String(20))
    priority: Mapped[int | None] = mapped_column(Integer)
    method: Mapped[int | None] = mapped_column(Integer)
    alarm_type: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(String(255))
    longitude: Mapped[float | None] = mapped_column(Float)
    latitude: Mapped[float | None] = mapped_column(Float)


class DevicePosition(_DeviceHistory, Base):
    """A GPS fix a mobile device reported (GB/T 28181 Notify MobilePosition)."""

    __tablename__ = "device_positions"

    source_id: Mapped[str] = mapped_column(String(20))
    longitude: Mapped[float] = mapped_column(Float)
    latitude: Mapped[float] = mapped_column(Float)
    speed: Mapped[float | None] = mapped_column(Float)
    direction: Mapped[float | None] = mapped_column(Float)
    altitude: Mapped[float | None] = mapped_column(Float)
