"""The ``forward_upper`` action's mapping: an analytics or availability alarm as a GB/T 28181 Alarm.

GB/T 28181-2016 Table A.3 types video alarms (AlarmMethod 5) by what the analysis saw; the kinds
the analytics rules raise map onto them below (a kind with no row goes up as method 5 with no
AlarmType). A picture fault goes up as a device fault (AlarmMethod 6). The standard's types for
method 6 are only a storage device's disk (1) and fan (2) faults, neither of which a picture fault
is, so it goes without an AlarmType, which the standard reads as the general fault alarm; what
failed is in the description. Device alarms are forwarded by the cascade notifier for every
alarm, so this action leaves them alone.
"""

from __future__ import annotations

from vigil.alarms.model import AlarmSource
from vigil.gb28181.cascade.upward_alarm import UpwardAlarm
from vigil.store.models import Alarm

__all__ = ["FAULT_METHOD", "VIDEO_METHOD", "VIDEO_TYPES", "upward_alarm"]

VIDEO_METHOD = 5
FAULT_METHOD = 6

#: Analytics alarm kind → AlarmType for AlarmMethod 5 (GB/T 28181-2016 Table A.3).
VIDEO_TYPES: dict[str, int] = {
    "motion": 2,  # 运动目标检测报警
    "line_crossing": 5,  # 绊线检测报警
    "intrusion": 6,  # 入侵检测报警
    "loitering": 8,  # 徘徊检测报警
    "traffic_statistics": 9,  # 流量统计报警
    "crowding": 10,  # 密度检测报警
    "video_abnormal": 11,  # 视频异常检测报警
}


def upward_alarm(alarm: Alarm) -> UpwardAlarm | None:
    """The Alarm to send up for a channel's analytics or availability alarm; None otherwise."""
    if alarm.channel_id is None:
        return None
    if alarm.source == AlarmSource.analytics:
        method, alarm_type = VIDEO_METHOD, VIDEO_TYPES.get(alarm.kind)
    elif alarm.source == AlarmSource.availability:
        method, alarm_type = FAULT_METHOD, None
    else:
        return None
    return UpwardAlarm(
        source_id=alarm.channel_id,
        alarm_at=alarm.at,
        priority=alarm.level,
        method=method,
        alarm_type=alarm_type,
        description=alarm.description,
    )
