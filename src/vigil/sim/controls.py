"""What DeviceControl does to a simulated device, kept where tests can read it.

Every accepted command is appended to :attr:`ControlState.log` and changes the state a real
camera would change: PTZ motion (the last Motion per channel, and a pan/tilt/zoom position that
moves by the command's speed), presets (set, call, delete), recording and guard flags, reboots and
forced keyframes. A channel in :attr:`ControlState.ignore_ptz` has a broken PTZ: it accepts PTZ
commands and logs them but does not move (the fault video quality diagnosis looks for).
:meth:`ControlState.apply` returns the ``Result`` of the DeviceControl Response
the standard requires after the command, or ``None`` where it requires none (PTZCmd, TeleBoot,
IFameCmd).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from vigil.protocols.errors import PtzError
from vigil.protocols.manscdp import RESULT_ERROR, RESULT_OK, DeviceControl
from vigil.protocols.manscdp.control import (
    GUARD_RESET,
    GUARD_SET,
    IFRAME_SEND,
    RECORD_START,
    RECORD_STOP,
    TELE_BOOT,
)
from vigil.protocols.ptz import Command, Motion, Preset, PresetAction, PtzCmd

__all__ = ["ChannelPtz", "ControlState"]

#: Degrees (pan, tilt) or zoom steps one PTZCmd moves per unit of speed (0-255).
_STEP = 10.0 / 255


@dataclass(slots=True)
class ChannelPtz:
    """The PTZ state of one channel."""

    pan: float = 0.0
    tilt: float = 0.0
    zoom: float = 1.0
    motion: Motion | None = None
    presets: dict[int, str] = field(default_factory=dict)
    commands: list[Command] = field(default_factory=list)

    def apply(self, command: Command) -> None:
        self.commands.append(command)
        if isinstance(command, Motion):
            self.motion = None if command == Motion() else command
            self.pan = (self.pan + command.pan * command.pan_speed * _STEP) % 360
            tilt = self.tilt + command.tilt * command.tilt_speed * _STEP
            self.tilt = min(90.0, max(-90.0, tilt))
            zoom = self.zoom + command.zoom * (command.zoom_speed + 1) / 16
            self.zoom = min(30.0, max(1.0, zoom))
        elif isinstance(command, Preset):
            self._preset(command)

    def _preset(self, command: Preset) -> None:
        if command.action is PresetAction.SET:
            self.presets[command.number] = f"预置位{command.number}"
        elif command.action is PresetAction.DELETE:
            self.presets.pop(command.number, None)
        elif command.number in self.presets:
            self.pan = (command.number * 37.0) % 360
            self.tilt = 0.0


@dataclass(slots=True)
class ControlState:
    """Everything DeviceControl changed, per channel where the command names one."""

    ptz: dict[str, ChannelPtz] = field(default_factory=dict)
    recording: dict[str, bool] = field(default_factory=dict)
    guard: dict[str, bool] = field(default_factory=dict)
    reboots: int = 0
    keyframe_requests: int = 0
    log: list[DeviceControl] = field(default_factory=list)
    on_keyframe: Callable[[str], None] | None = None
    ignore_ptz: set[str] = field(default_factory=set)

    def channel_ptz(self, target: str) -> ChannelPtz:
        """The PTZ state of ``target`` (created on first use)."""
        return self.ptz.setdefault(target, ChannelPtz())

    def apply(self, control: DeviceControl) -> str | None:
        """Carry out ``control``; the Result to answer with, or None when no answer is due."""
        self.log.append(control)
        target = control.device_id
        if control.ptz_cmd is not None:
            try:
                command = PtzCmd.parse(control.ptz_cmd).command
            except PtzError:
                return RESULT_ERROR
            if target not in self.ignore_ptz:
                self.channel_ptz(target).apply(command)
            return None
        if control.tele_boot == TELE_BOOT:
            self.reboots += 1
            return None
        if control.ifame_cmd == IFRAME_SEND:
            self.keyframe_requests += 1
            if self.on_keyframe is not None:
                self.on_keyframe(target)
            return None
        if control.record_cmd in (RECORD_START, RECORD_STOP):
            self.recording[target] = control.record_cmd == RECORD_START
            return RESULT_OK
        if control.guard_cmd in (GUARD_SET, GUARD_RESET):
            self.guard[target] = control.guard_cmd == GUARD_SET
            return RESULT_OK
        if control.alarm_cmd is not None:
            return RESULT_OK
        return RESULT_ERROR

    def motion(self, channel_id: str) -> Motion | None:
        """The PTZ motion in progress on ``channel_id`` (None when stopped)."""
        ptz = self.ptz.get(channel_id)
        return None if ptz is None else ptz.motion
