"""The typed commands a PTZCmd carries (GB/T 28181 Annex A.3, 2016 and 2022 alike).

Each command knows its (byte 4, data 1, data 2, data 3) and is read back from them; reading
dispatches on byte 4 through a table. PTZ (Table A.2) and FI (Table A.4) are bit fields, the
others (preset, cruise, scan, auxiliary switch) are command codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import ClassVar, Protocol, Self

from vigil.protocols.errors import PtzError

__all__ = [
    "MAX_BYTE",
    "MAX_NIBBLE",
    "AuxSwitch",
    "Command",
    "CruiseAction",
    "CruiseDwell",
    "CruisePoint",
    "CruiseSpeed",
    "CruiseStart",
    "Fields",
    "Focus",
    "FocusIris",
    "Iris",
    "Motion",
    "Pan",
    "Preset",
    "PresetAction",
    "Scan",
    "ScanAction",
    "ScanSpeed",
    "Tilt",
    "Zoom",
    "check_range",
    "read_command",
]

MAX_BYTE = 0xFF
MAX_NIBBLE = 0x0F
MAX_TWELVE_BITS = 0xFFF  # cruise/scan speed and dwell: byte 6 plus the high nibble of byte 7

# Table A.2 (PTZ) and A.4 (FI) bits of byte 4; the high two bits tell the families apart.
_PTZ_FAMILY_MASK, _PTZ_FAMILY = 0xC0, 0x00
_FI_FAMILY_MASK, _FI_FAMILY = 0xF0, 0x40
_RIGHT, _LEFT, _DOWN, _UP, _ZOOM_IN, _ZOOM_OUT = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20
_FOCUS_FAR, _FOCUS_NEAR, _IRIS_OPEN, _IRIS_CLOSE = 0x01, 0x02, 0x04, 0x08

# Table A.5-A.9 commands.
_CRUISE_SPEED, _CRUISE_DWELL, _CRUISE_START = 0x86, 0x87, 0x88
_SCAN, _SCAN_SPEED = 0x89, 0x8A
_AUX_ON, _AUX_OFF = 0x8C, 0x8D


class Pan(IntEnum):
    """Horizontal direction of a PTZ move."""

    LEFT = -1
    NONE = 0
    RIGHT = 1


class Tilt(IntEnum):
    """Vertical direction of a PTZ move."""

    DOWN = -1
    NONE = 0
    UP = 1


class Zoom(IntEnum):
    """Zoom direction of a PTZ move."""

    OUT = -1
    NONE = 0
    IN = 1


class Focus(IntEnum):
    """Focus direction of a focus/iris command."""

    NEAR = -1
    NONE = 0
    FAR = 1


class Iris(IntEnum):
    """Iris direction of a focus/iris command."""

    CLOSE = -1
    NONE = 0
    OPEN = 1


class PresetAction(IntEnum):
    """The command byte of a preset command: set, go to, or delete."""

    SET = 0x81
    CALL = 0x82
    DELETE = 0x83


class CruiseAction(IntEnum):
    """The command byte for adding or removing a cruise point."""

    ADD_POINT = 0x84
    DELETE_POINT = 0x85


class ScanAction(IntEnum):
    """What an auto-scan command does: start, or set a boundary (data byte 2)."""

    START = 0x00
    SET_LEFT_BOUNDARY = 0x01
    SET_RIGHT_BOUNDARY = 0x02


_SCAN_ACTIONS = frozenset(ScanAction)

Fields = tuple[int, int, int, int]  # byte 4, data 1, data 2, data 3


class Command(Protocol):
    """What every PTZCmd command offers: its bytes, and a reader from them."""

    def fields(self) -> Fields: ...


def check_range(value: int, limit: int, what: str) -> None:
    if not 0 <= value <= limit:
        raise PtzError(f"{what} must be 0 to {limit}, got {value}")


def _axis(value: int, minus: int, plus: int) -> int:
    return minus if value < 0 else plus if value > 0 else 0


def _read_axis(byte4: int, minus: int, plus: int, what: str) -> int:
    if byte4 & minus and byte4 & plus:
        raise PtzError(f"byte 4: {what} bits {minus:02X}H and {plus:02X}H are both set")
    return -1 if byte4 & minus else 1 if byte4 & plus else 0


@dataclass(frozen=True, slots=True)
class Motion:
    """Pan, tilt and zoom at once; all NONE is the stop command."""

    pan: Pan = Pan.NONE
    tilt: Tilt = Tilt.NONE
    zoom: Zoom = Zoom.NONE
    pan_speed: int = 0
    tilt_speed: int = 0
    zoom_speed: int = 0

    def __post_init__(self) -> None:
        check_range(self.pan_speed, MAX_BYTE, "pan speed")
        check_range(self.tilt_speed, MAX_BYTE, "tilt speed")
        check_range(self.zoom_speed, MAX_NIBBLE, "zoom speed")

    def fields(self) -> Fields:
        byte4 = (
            _axis(self.pan, _LEFT, _RIGHT)
            | _axis(self.tilt, _DOWN, _UP)
            | _axis(self.zoom, _ZOOM_OUT, _ZOOM_IN)
        )
        return byte4, self.pan_speed, self.tilt_speed, self.zoom_speed

    @classmethod
    def read(cls, byte4: int, data1: int, data2: int, data3: int) -> Motion:
        pan = Pan(_read_axis(byte4, _LEFT, _RIGHT, "pan left/right"))
        tilt = Tilt(_read_axis(byte4, _DOWN, _UP, "tilt down/up"))
        zoom = Zoom(_read_axis(byte4, _ZOOM_OUT, _ZOOM_IN, "zoom out/in"))
        return cls(pan, tilt, zoom, data1, data2, data3)


@dataclass(frozen=True, slots=True)
class FocusIris:
    """Focus and iris; all NONE stops them (byte 4 = 40H)."""

    focus: Focus = Focus.NONE
    iris: Iris = Iris.NONE
    focus_speed: int = 0
    iris_speed: int = 0

    def __post_init__(self) -> None:
        check_range(self.focus_speed, MAX_BYTE, "focus speed")
        check_range(self.iris_speed, MAX_BYTE, "iris speed")

    def fields(self) -> Fields:
        byte4 = (
            _FI_FAMILY
            | _axis(self.focus, _FOCUS_NEAR, _FOCUS_FAR)
            | _axis(self.iris, _IRIS_CLOSE, _IRIS_OPEN)
        )
        return byte4, self.focus_speed, self.iris_speed, 0

    @classmethod
    def read(cls, byte4: int, data1: int, data2: int, data3: int) -> FocusIris:
        focus = Focus(_read_axis(byte4, _FOCUS_NEAR, _FOCUS_FAR, "focus near/far"))
        iris = Iris(_read_axis(byte4, _IRIS_CLOSE, _IRIS_OPEN, "iris close/open"))
        return cls(focus, iris, data1, data2)


@dataclass(frozen=True, slots=True)
class Preset:
    """Set, call or delete preset ``number`` (byte 6)."""

    action: PresetAction
    number: int

    def __post_init__(self) -> None:
        check_range(self.number, MAX_BYTE, "preset number")

    def fields(self) -> Fields:
        return self.action, 0, self.number, 0

    @classmethod
    def read(cls, byte4: int, data1: int, data2: int, data3: int) -> Preset:
        return cls(PresetAction(byte4), data2)


@dataclass(frozen=True, slots=True)
class CruisePoint:
    """Add or delete a preset in cruise ``group``; deleting preset 0 deletes the whole cruise."""

    action: CruiseAction
    group: int
    preset: int

    def __post_init__(self) -> None:
        check_range(self.group, MAX_BYTE, "cruise group")
        check_range(self.preset, MAX_BYTE, "preset number")

    def fields(self) -> Fields:
        return self.action, self.group, self.preset, 0

    @classmethod
    def read(cls, byte4: int, data1: int, data2: int, data3: int) -> CruisePoint:
        return cls(CruiseAction(byte4), data1, data2)


def _split12(value: int) -> tuple[int, int]:
    return value & MAX_BYTE, value >> 8


def _join12(low: int, high: int) -> int:
    return low | high << 8


@dataclass(frozen=True, slots=True)
class _GroupSpeed:
    """The 12-bit speed of a cruise or scan group; subclasses name the family and its byte 4."""

    _CODE: ClassVar[int]
    _FAMILY: ClassVar[str]

    group: int
    speed: int

    def __post_init__(self) -> None:
        check_range(self.group, MAX_BYTE, f"{self._FAMILY} group")
        check_range(self.speed, MAX_TWELVE_BITS, f"{self._FAMILY} speed")

    def fields(self) -> Fields:
        return (self._CODE, self.group, *_split12(self.speed))

    @classmethod
    def read(cls, byte4: int, data1: int, data2: int, data3: int) -> Self:
        return cls(data1, _join12(data2, data3))


class CruiseSpeed(_GroupSpeed):
    """Sets the speed of a cruise group (12 bits)."""

    __slots__ = ()
    _CODE = _CRUISE_SPEED
    _FAMILY = "cruise"


@dataclass(frozen=True, slots=True)
class CruiseDwell:
    """How long the cruise stays at each preset, in seconds."""

    group: int
    seconds: int

    def __post_init__(self) -> None:
        check_range(self.group, MAX_BYTE, "cruise group")
        check_range(self.seconds, MAX_TWELVE_BITS, "dwell time")

    def fields(self) -> Fields:
        return (_CRUISE_DWELL, self.group, *_split12(self.seconds))

    @classmethod
    def read(cls, byte4: int, data1: int, data2: int, data3: int) -> CruiseDwell:
        return cls(data1, _join12(data2, data3))


@dataclass(frozen=True, slots=True)
class CruiseStart:
    """Start cruise ``group``; a Motion stop ends it."""

    group: int

    def __post_init__(self) -> None:
        check_range(self.group, MAX_BYTE, "cruise group")

    def fields(self) -> Fields:
        return _CRUISE_START, self.group, 0, 0

    @classmethod
    def read(cls, byte4: int, data1: int, data2: int, data3: int) -> CruiseStart:
        return cls(data1)


@dataclass(frozen=True, slots=True)
class Scan:
    """Start auto-scan ``group`` or set its left/right boundary at the current position."""

    group: int
    action: ScanAction = ScanAction.START

    def __post_init__(self) -> None:
        check_range(self.group, MAX_BYTE, "scan group")

    def fields(self) -> Fields:
        return _SCAN, self.group, self.action, 0

    @classmethod
    def read(cls, byte4: int, data1: int, data2: int, data3: int) -> Scan:
        if data2 not in _SCAN_ACTIONS:
            raise PtzError(f"byte 6: scan operation {data2:02X}H is not 00H, 01H or 02H")
        return cls(data1, ScanAction(data2))


class ScanSpeed(_GroupSpeed):
    """Sets the speed of an auto-scan group (12 bits)."""

    __slots__ = ()
    _CODE = _SCAN_SPEED
    _FAMILY = "scan"


@dataclass(frozen=True, slots=True)
class AuxSwitch:
    """Switch auxiliary device ``number`` (a wiper, a light) on or off."""

    number: int
    on: bool

    def __post_init__(self) -> None:
        check_range(self.number, MAX_BYTE, "auxiliary switch number")

    def fields(self) -> Fields:
        return (_AUX_ON if self.on else _AUX_OFF), self.number, 0, 0

    @classmethod
    def read(cls, byte4: int, data1: int, data2: int, data3: int) -> AuxSwitch:
        return cls(data1, byte4 == _AUX_ON)


class _Reader(Protocol):
    def __call__(self, byte4: int, data1: int, data2: int, data3: int) -> Command: ...


_READERS: dict[int, _Reader] = {
    **dict.fromkeys(PresetAction, Preset.read),
    **dict.fromkeys(CruiseAction, CruisePoint.read),
    _CRUISE_SPEED: CruiseSpeed.read,
    _CRUISE_DWELL: CruiseDwell.read,
    _CRUISE_START: CruiseStart.read,
    _SCAN: Scan.read,
    _SCAN_SPEED: ScanSpeed.read,
    _AUX_ON: AuxSwitch.read,
    _AUX_OFF: AuxSwitch.read,
}


def read_command(byte4: int, data1: int, data2: int, data3: int) -> Command:
    """The typed command that byte 4 and the three data fields of a PTZCmd stand for."""
    if byte4 & _PTZ_FAMILY_MASK == _PTZ_FAMILY:
        return Motion.read(byte4, data1, data2, data3)
    if byte4 & _FI_FAMILY_MASK == _FI_FAMILY:
        return FocusIris.read(byte4, data1, data2, data3)
    reader = _READERS.get(byte4)
    if reader is None:
        raise PtzError(f"byte 4: command {byte4:02X}H is not defined in GB/T 28181")
    return reader(byte4, data1, data2, data3)
