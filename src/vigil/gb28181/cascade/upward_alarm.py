"""An alarm to pass up to the upper platforms: the few fields a GB/T 28181 Alarm carries.

The notifier forwards device alarms (from the bus) and, through the alarm centre's
``forward_upper`` linkage action, analytics and availability alarms; both are an
:class:`~vigil.gb28181.devices.events.AlarmReport` (a device's :class:`DeviceAlarmRaised` is one),
so one code path shares, addresses and sends them (:meth:`CascadeNotifier.forward_alarm`).
"""

from __future__ import annotations

from dataclasses import dataclass

from vigil.gb28181.devices.events import AlarmReport

__all__ = ["UpwardAlarm"]


@dataclass(frozen=True, slots=True, kw_only=True)
class UpwardAlarm(AlarmReport):
    """An alarm from the alarm centre to send up; ``source_id`` is the local channel (or device)
    ID, which the notifier sends under each upper platform's outward ID."""
