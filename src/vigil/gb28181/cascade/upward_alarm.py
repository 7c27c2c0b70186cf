"""An alarm to pass up to the upper platforms: the few fields a GB/T 28181 Alarm carries.

The notifier forwards device alarms (from the bus) and, through the alarm centre's
``forward_upper`` linkage action, analytics and availability alarms; both become this value first,
so one code path shares, addresses and sends them (:meth:`CascadeNotifier.forward_alarm`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from vigil.gb28181.devices.events import DeviceAlarmRaised

__all__ = ["UpwardAlarm"]


@dataclass(frozen=True, slots=True, kw_only=True)
class UpwardAlarm:
    """``source_id`` is the local channel (or device) ID; the notifier sends it under each upper
    platform's outward ID. ``method`` and ``alarm_type`` are GB/T 28181 AlarmMethod and
    AlarmType (Annex A.2.5.3 / 2016 Table A.3)."""

    source_id: str
    alarm_at: datetime
    priority: int | None
    method: int | None
    alarm_type: int | None
    description: str | None

    @classmethod
    def of_device(cls, event: DeviceAlarmRaised) -> UpwardAlarm:
        return cls(
            source_id=event.source_id,
            alarm_at=event.alarm_at,
            priority=event.priority,
            method=event.method,
            alarm_type=event.alarm_type,
            description=event.description,
        )
