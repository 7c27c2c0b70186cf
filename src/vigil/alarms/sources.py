"""Turning what other parts report into alarms: device Alarm NOTIFYs (from the bus), picture
faults (from the availability service's hook) and analytics rule events.

The device alarm writer publishes ``device.alarm`` once the device alarm is stored; the alarm
centre subscribes to it, so gb28181 knows nothing of the centre. A device alarm whose source ID
is a channel on file is that channel's alarm; otherwise it is the device's.
"""

from __future__ import annotations

from datetime import datetime

from vigil.alarms.model import AlarmSource, NewAlarm
from vigil.gb28181.devices.events import DeviceAlarmRaised

__all__ = ["GB_METHODS", "availability_alarm", "device_alarm"]

#: GB/T 28181 AlarmMethod codes and the names that kinds use.
GB_METHODS: dict[int, str] = {
    1: "phone",
    2: "device",
    3: "sms",
    4: "gps",
    5: "video",
    6: "fault",
    7: "other",
}

#: The level given when a device states no priority, and to picture faults.
DEFAULT_LEVEL = 3


def device_alarm(event: DeviceAlarmRaised, channel_id: str | None) -> NewAlarm:
    """The alarm for a stored device alarm; ``channel_id`` when its source is a channel."""
    method = GB_METHODS.get(event.method or 0, "unknown")
    kind = f"gb.{method}" + (f".{event.alarm_type}" if event.alarm_type is not None else "")
    level = event.priority if event.priority in (1, 2, 3, 4) else DEFAULT_LEVEL
    return NewAlarm(
        source=AlarmSource.device,
        kind=kind,
        level=level,
        at=event.alarm_at,
        channel_id=channel_id,
        device_id=event.device_id,
        description=event.description,
        detail={
            "source_id": event.source_id,
            "priority": event.priority,
            "method": event.method,
            "alarm_type": event.alarm_type,
        },
    )


def availability_alarm(
    channel_id: str, fault_kind: str, fault_id: int, evidence_path: str | None, at: datetime
) -> NewAlarm:
    """The alarm for a picture fault diagnosis raised; the fault's evidence is its snapshot."""
    return NewAlarm(
        source=AlarmSource.availability,
        kind=f"fault.{fault_kind}",
        level=DEFAULT_LEVEL,
        at=at,
        channel_id=channel_id,
        description=f"picture fault: {fault_kind}",
        detail={"fault_id": fault_id},
        snapshot_path=evidence_path,
    )
