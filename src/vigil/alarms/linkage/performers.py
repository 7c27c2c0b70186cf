"""The performers of the linkage actions that act through other parts of Vigil: forward the alarm
to the upper platforms, send a dome to a preset, record the channel for a while, show the channel
on the operators' live walls.

Each part is handed in by the composition root as the small shape used here (a Protocol or a
callable), so the alarm centre knows the method it calls and nothing else of the part. Each acts
as the system under the name ``alarm-centre``: a preset call and an on-demand recording are
audited by the part that does them (``device.preset``, ``recording.start``), a forward and a wall
request here (``alarm.forward``, ``alarm.wall``). Each returns False when it had nothing to do
(no channel, not shared, already recording, the part not wired), and logs with the channel ID.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from vigil.alarms.events import AlarmWall
from vigil.alarms.linkage.actions import PtzPreset, Record, Wall
from vigil.alarms.linkage.upward import upward_alarm
from vigil.bus import EventBus
from vigil.gb28181.cascade.upward_alarm import UpwardAlarm
from vigil.governance.audit import AuditLog
from vigil.governance.audited import Caller, note
from vigil.governance.permissions import Principal, system_principal
from vigil.store.models import Alarm

__all__ = ["Forward", "OnDemandRecorder", "Performers", "PresetCaller", "linkage_caller"]

log = logging.getLogger(__name__)


def linkage_caller() -> Caller:
    """Who linkage acts as: the system, named ``alarm-centre`` in the audit log."""
    return Caller(system_principal("alarm-centre"))


class PresetCaller(Protocol):
    """The GB/T 28181 control path (``DeviceControls.preset``)."""

    async def preset(
        self, who: Principal | Caller, channel_id: str, action: str, number: int
    ) -> None: ...


class OnDemandRecorder(Protocol):
    """On-demand recording (``vigil.media.OnDemandRecording.record_for``)."""

    async def record_for(
        self, who: Principal | Caller, channel_id: str, seconds: float, reason: str
    ) -> bool: ...


#: Sends an alarm up (``CascadeNotifier.forward_alarm``); the number of platforms it went to.
Forward = Callable[[UpwardAlarm], Awaitable[int]]


@dataclass(frozen=True, slots=True, kw_only=True)
class Performers:
    """The parts the actions below need; an action whose part is missing does nothing."""

    audit: AuditLog | None = None
    bus: EventBus | None = None
    presets: PresetCaller | None = None
    recorder: OnDemandRecorder | None = None
    forward: Forward | None = None

    async def forward_upper(self, alarm: Alarm) -> bool:
        upward = upward_alarm(alarm)
        if self.forward is None or upward is None:
            return False
        platforms = await self.forward(upward)
        log.info(
            "alarm forwarded up",
            extra={"alarm": alarm.id, "channel": alarm.channel_id, "platforms": platforms},
        )
        if platforms and self.audit is not None:
            await note(
                self.audit,
                linkage_caller(),
                "alarm.forward",
                f"alarm:{alarm.id}",
                channel_id=alarm.channel_id,
                detail={
                    "platforms": platforms,
                    "method": upward.method,
                    "alarm_type": upward.alarm_type,
                },
            )
        return platforms > 0

    async def ptz_preset(self, action: PtzPreset, alarm: Alarm) -> bool:
        channel = action.channel_id or alarm.channel_id
        if self.presets is None or channel is None:
            return False
        await self.presets.preset(linkage_caller(), channel, "call", action.preset)
        log.info(
            "alarm preset called",
            extra={"alarm": alarm.id, "channel": channel, "preset": action.preset},
        )
        return True

    async def record(self, action: Record, alarm: Alarm) -> bool:
        channel = alarm.channel_id
        if self.recorder is None or channel is None:
            return False
        started = await self.recorder.record_for(
            linkage_caller(), channel, action.seconds, f"alarm {alarm.id}"
        )
        log.info(
            "alarm recording started" if started else "alarm recording skipped: recording",
            extra={"alarm": alarm.id, "channel": channel, "seconds": action.seconds},
        )
        return started

    async def wall(self, action: Wall, alarm: Alarm) -> bool:
        channel = alarm.channel_id
        if self.bus is None or channel is None:
            return False
        if self.audit is not None:
            await note(
                self.audit,
                linkage_caller(),
                "alarm.wall",
                f"alarm:{alarm.id}",
                channel_id=channel,
                detail={"wall": action.wall},
            )
        await self.bus.publish(
            AlarmWall(
                alarm_id=alarm.id,
                channel_id=channel,
                wall=action.wall,
                kind=alarm.kind,
                level=alarm.level,
                alarm_at=alarm.at,
            )
        )
        log.info("alarm sent to the live walls", extra={"alarm": alarm.id, "channel": channel})
        return True
