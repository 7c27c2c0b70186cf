"""What the GB/T 28181 server publishes on the bus.

Subjects: ``device.online`` / ``device.offline`` (with the reason), ``device.address`` (a device
moved without going offline), ``device.catalog`` (a catalog was synchronised or notified),
``device.alarm`` and ``device.position``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from vigil.bus import Event

__all__ = [
    "AlarmReport",
    "CatalogSynced",
    "DeviceAlarmRaised",
    "DeviceEvent",
    "DevicePositionReported",
    "DeviceStatusChanged",
]


@dataclass(frozen=True, kw_only=True)
class DeviceEvent(Event):
    """An event about one device: the device that sent the report or changed."""

    device_id: str


@dataclass(frozen=True, kw_only=True)
class DeviceStatusChanged(DeviceEvent):
    """A device went online or offline, or changed address while online."""

    subject_prefix: ClassVar[str] = "device"
    online: bool
    reason: str
    address: str | None = None

    @property
    def subject(self) -> str:
        if self.reason == "address_changed":
            return "device.address"
        return "device.online" if self.online else "device.offline"


@dataclass(frozen=True, kw_only=True)
class CatalogSynced(DeviceEvent):
    """A device's channels changed: a full or partial catalog answer, or a catalog notify."""

    subject_prefix: ClassVar[str] = "device.catalog"
    received: int
    expected: int | None
    complete: bool
    added: tuple[str, ...] = field(default=())
    updated: tuple[str, ...] = field(default=())
    deleted: tuple[str, ...] = field(default=())


@dataclass(frozen=True, kw_only=True)
class AlarmReport:
    """What a GB/T 28181 Alarm says: ``source_id`` is the channel (or device) ID; ``method`` and
    ``alarm_type`` are AlarmMethod and AlarmType (Annex A.2.5.3 / 2016 Table A.3)."""

    source_id: str
    alarm_at: datetime
    priority: int | None
    method: int | None
    alarm_type: int | None
    description: str | None


@dataclass(frozen=True, kw_only=True)
class DeviceAlarmRaised(AlarmReport, DeviceEvent):
    """A device reported an alarm (published once it is stored)."""

    subject_prefix: ClassVar[str] = "device.alarm"


@dataclass(frozen=True, kw_only=True)
class DevicePositionReported(DeviceEvent):
    """A device reported a position fix (published once it is stored)."""

    subject_prefix: ClassVar[str] = "device.position"
    source_id: str
    fix_at: datetime
    longitude: float
    latitude: float
    speed: float | None
    direction: float | None
