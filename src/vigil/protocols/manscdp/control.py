"""``<Control>`` messages: DeviceControl and DeviceConfig (GB/T 28181-2016 A.2.3, 2022 A.2.3).

DeviceControl is one CmdType whose body carries one command element (PTZCmd, TeleBoot, …); it is
one model with an optional field per command rather than one class per command, because that is
the wire shape and a device may combine them (RecordCmd with StreamNumber). The PTZCmd byte string
stays hex text here; ``vigil.protocols.ptz`` reads it.
"""

# ruff: noqa: RUF009 -- el() and item_list() return dataclasses.field() with an immutable default

from __future__ import annotations

from dataclasses import dataclass

from vigil.protocols.manscdp.config_params import (
    BasicParam,
    SnapShotConfig,
    SvacDecodeConfig,
    SvacEncodeConfig,
)
from vigil.protocols.manscdp.message import Control
from vigil.protocols.manscdp.schema import el

__all__ = [
    "ALARM_RESET",
    "CONTROLS",
    "GUARD_RESET",
    "GUARD_SET",
    "IFRAME_SEND",
    "RECORD_START",
    "RECORD_STOP",
    "TELE_BOOT",
    "ControlInfo",
    "DeviceConfig",
    "DeviceControl",
    "DeviceUpgrade",
    "DragZoom",
    "HomePosition",
    "PtzPreciseCtrl",
]

#: Command values (A.2.3.1): TeleBoot, RecordCmd, GuardCmd, AlarmCmd, IFameCmd.
TELE_BOOT = "Boot"
RECORD_START, RECORD_STOP = "Record", "StopRecord"
GUARD_SET, GUARD_RESET = "SetGuard", "ResetGuard"
ALARM_RESET = "ResetAlarm"
IFRAME_SEND = "Send"


@dataclass(frozen=True, slots=True, kw_only=True)
class ControlInfo:
    """The ``<Info>`` of a DeviceControl: PTZ priority, or which alarm a ResetAlarm clears."""

    control_priority: int | None = el("ControlPriority")
    alarm_method: str | None = el("AlarmMethod")
    alarm_type: str | None = el("AlarmType")


@dataclass(frozen=True, slots=True, kw_only=True)
class DragZoom:
    """Zoom to a rectangle the user dragged on a ``length`` × ``width`` picture (A.2.3.1.8)."""

    length: int | None = el("Length")
    width: int | None = el("Width")
    mid_point_x: int | None = el("MidPointX")
    mid_point_y: int | None = el("MidPointY")
    length_x: int | None = el("LengthX")
    length_y: int | None = el("LengthY")


@dataclass(frozen=True, slots=True, kw_only=True)
class HomePosition:
    """Return to preset ``preset_index`` after ``reset_time`` idle seconds when ``enabled`` is 1."""

    enabled: int | None = el("Enabled")
    reset_time: int | None = el("ResetTime")
    preset_index: int | None = el("PresetIndex")


@dataclass(frozen=True, slots=True, kw_only=True)
class PtzPreciseCtrl:
    """Move to an absolute pan/tilt (degrees) and zoom (multiple) (2022)."""

    pan: float | None = el("Pan")
    tilt: float | None = el("Tilt")
    zoom: float | None = el("Zoom")


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceUpgrade:
    """Fetch firmware from ``file_url`` and upgrade; the result is reported per ``session_id``."""

    firmware: str | None = el("Firmware")
    file_url: str | None = el("FileURL")
    manufacturer: str | None = el("Manufacturer")
    session_id: str | None = el("SessionID")


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceControl(Control):
    """Remote control of a device or channel (A.2.3.1); usually exactly one command is set."""

    CMD_TYPE = "DeviceControl"

    ptz_cmd: str | None = el("PTZCmd")  # 8 bytes as 16 hex digits (A.3)
    tele_boot: str | None = el("TeleBoot")
    record_cmd: str | None = el("RecordCmd")
    stream_number: int | None = el("StreamNumber")  # 2022, with RecordCmd
    guard_cmd: str | None = el("GuardCmd")
    alarm_cmd: str | None = el("AlarmCmd")
    ifame_cmd: str | None = el("IFameCmd")  # the standard's spelling of "IFrameCmd"
    drag_zoom_in: DragZoom | None = el("DragZoomIn")
    drag_zoom_out: DragZoom | None = el("DragZoomOut")
    home_position: HomePosition | None = el("HomePosition")
    ptz_precise_ctrl: PtzPreciseCtrl | None = el("PTZPreciseCtrl")  # 2022
    device_upgrade: DeviceUpgrade | None = el("DeviceUpgrade")  # 2022
    format_sd_card: int | None = el("FormatSDCard")  # 2022, index of the card
    target_track: str | None = el("TargetTrack")  # 2022: Auto / Manual / Stop
    device_id2: str | None = el("DeviceID2")  # 2022, detail camera of a TargetTrack
    target_area: str | None = el("TargetArea")  # 2022, area of a manual TargetTrack
    info: ControlInfo | None = el("Info")


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceConfig(Control):
    """Change a device's configuration (A.2.3.2); usually one block is set."""

    CMD_TYPE = "DeviceConfig"

    basic_param: BasicParam | None = el("BasicParam")
    svac_encode_config: SvacEncodeConfig | None = el("SVACEncodeConfig")
    svac_decode_config: SvacDecodeConfig | None = el("SVACDecodeConfig")
    snap_shot_config: SnapShotConfig | None = el("SnapShotConfig")  # 2022


#: Every Control model, for the CmdType table.
CONTROLS: tuple[type[Control], ...] = (DeviceControl, DeviceConfig)
