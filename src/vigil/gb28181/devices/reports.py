"""Alarms and positions a device reports: queued for the report writer, which stores them in
batches and then publishes them on the bus (see :mod:`vigil.gb28181.devices.report_writer`).

GB/T 28181 times are local without an offset; they are read in the configured zone here, at the
edge, and kept in UTC. A report without a time is stamped with the time it arrived.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Table

from vigil.gb28181.devices.events import DeviceAlarmRaised, DevicePositionReported
from vigil.gb28181.devices.report_writer import ReportWriter
from vigil.protocols.manscdp import AlarmNotify, MobilePositionNotify
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


def _table(model: type[DeviceAlarm] | type[DevicePosition]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


ALARMS = _table(DeviceAlarm)
POSITIONS = _table(DevicePosition)


class Reports:
    """Turns MANSCDP reports into rows and events for the :class:`ReportWriter`."""

    def __init__(self, writer: ReportWriter, zone: ZoneInfo) -> None:
        self._writer = writer
        self._zone = zone

    def alarm(self, device_id: str, notify: AlarmNotify) -> bool:
        """Queue an alarm; False when the writer's queue is full."""
        at = to_utc(notify.alarm_time, self._zone)
        alarm_type = notify.info.alarm_type if notify.info is not None else None
        description = (notify.alarm_description or "")[:255] or None
        row: dict[str, object] = {
            "device_id": device_id,
            "source_id": notify.device_id[:20],
            "at": at,
            "priority": notify.alarm_priority,
            "method": notify.alarm_method,
            "alarm_type": alarm_type,
            "description": description,
            "longitude": notify.longitude,
            "latitude": notify.latitude,
        }
        return self._writer.queue(
            ALARMS,
            row,
            DeviceAlarmRaised(
                device_id=device_id,
                source_id=notify.device_id,
                alarm_at=at,
                priority=notify.alarm_priority,
                method=notify.alarm_method,
                alarm_type=alarm_type,
                description=description,
            ),
        )

    def position(self, device_id: str, notify: MobilePositionNotify) -> bool:
        """Queue a fix; False (nothing queued) when it has no usable coordinates or the writer's
        queue is full."""
        lon, lat = notify.longitude, notify.latitude
        if lon is None or lat is None or not (-180 <= lon <= 180 and -90 <= lat <= 90):
            return False
        at = to_utc(notify.time, self._zone)
        row: dict[str, object] = {
            "device_id": device_id,
            "source_id": notify.device_id[:20],
            "at": at,
            "longitude": lon,
            "latitude": lat,
            "speed": notify.speed,
            "direction": notify.direction,
            "altitude": notify.altitude,
        }
        return self._writer.queue(
            POSITIONS,
            row,
            DevicePositionReported(
                device_id=device_id,
                source_id=notify.device_id,
                fix_at=at,
                longitude=lon,
                latitude=lat,
                speed=notify.speed,
                direction=notify.direction,
            ),
        )
