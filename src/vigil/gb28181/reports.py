"""Alarms and positions a device reports: stored, then published on the bus.

GB/T 28181 times are local without an offset; they are read in the configured zone here, at the
edge, and kept in UTC. A report without a time is stamped with the time it arrived.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from vigil.bus import EventBus
from vigil.gb28181.events import DeviceAlarmRaised, DevicePositionReported
from vigil.protocols.manscdp import AlarmNotify, MobilePositionNotify
from vigil.store.database import Database
from vigil.store.models import DeviceAlarm, DevicePosition
from vigil.store.types import utcnow

__all__ = ["Reports", "to_utc"]


def to_utc(value: datetime | None, zone: ZoneInfo) -> datetime:
    """A device time as UTC; naive times are in ``zone``; None is now."""
    if value is None:
        return utcnow()
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(ZoneInfo("UTC"))


class Reports:
    def __init__(self, db: Database, bus: EventBus, zone: ZoneInfo) -> None:
        self._db = db
        self._bus = bus
        self._zone = zone

    async def alarm(self, device_id: str, notify: AlarmNotify) -> None:
        at = to_utc(notify.alarm_time, self._zone)
        alarm_type = notify.info.alarm_type if notify.info is not None else None
        description = (notify.alarm_description or "")[:255] or None
        async with self._db.session() as session, session.begin():
            session.add(
                DeviceAlarm(
                    device_id=device_id,
                    source_id=notify.device_id[:20],
                    at=at,
                    priority=notify.alarm_priority,
                    method=notify.alarm_method,
                    alarm_type=alarm_type,
                    description=description,
                    longitude=notify.longitude,
                    latitude=notify.latitude,
                )
            )
        await self._bus.publish(
            DeviceAlarmRaised(
                device_id=device_id,
                source_id=notify.device_id,
                alarm_at=at,
                priority=notify.alarm_priority,
                method=notify.alarm_method,
                alarm_type=alarm_type,
                description=description,
            )
        )

    async def position(self, device_id: str, notify: MobilePositionNotify) -> bool:
        """Store a fix; False (nothing stored) when it has no usable coordinates."""
        lon, lat = notify.longitude, notify.latitude
        if lon is None or lat is None or not (-180 <= lon <= 180 and -90 <= lat <= 90):
            return False
        at = to_utc(notify.time, self._zone)
        async with self._db.session() as session, session.begin():
            session.add(
                DevicePosition(
                    device_id=device_id,
                    source_id=notify.device_id[:20],
                    at=at,
                    longitude=lon,
                    latitude=lat,
                    speed=notify.speed,
                    direction=notify.direction,
                    altitude=notify.altitude,
                )
            )
        await self._bus.publish(
            DevicePositionReported(
                device_id=device_id,
                source_id=notify.device_id,
                fix_at=at,
                longitude=lon,
                latitude=lat,
                speed=notify.speed,
                direction=notify.direction,
            )
        )
        return True
