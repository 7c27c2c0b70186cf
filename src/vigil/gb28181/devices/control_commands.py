"""The control actions of the API as GB/T 28181 commands: PTZ moves, lens moves, preset actions
and device actions (guard, reboot, record, I-frame) as DeviceControl fields."""

from __future__ import annotations

from typing import Literal

from vigil.errors import Invalid
from vigil.protocols import ptz
from vigil.protocols.manscdp import control

__all__ = ["DEVICE_ACTIONS", "PRESET_ACTIONS", "PTZ_ACTIONS", "DeviceAction", "ptz_command"]

_P, _T, _Z = ptz.Pan, ptz.Tilt, ptz.Zoom
#: PTZ actions of the API and the pan/tilt/zoom they move.
_MOTIONS: dict[str, tuple[ptz.Pan, ptz.Tilt, ptz.Zoom]] = {
    "left": (_P.LEFT, _T.NONE, _Z.NONE),
    "right": (_P.RIGHT, _T.NONE, _Z.NONE),
    "up": (_P.NONE, _T.UP, _Z.NONE),
    "down": (_P.NONE, _T.DOWN, _Z.NONE),
    "upleft": (_P.LEFT, _T.UP, _Z.NONE),
    "upright": (_P.RIGHT, _T.UP, _Z.NONE),
    "downleft": (_P.LEFT, _T.DOWN, _Z.NONE),
    "downright": (_P.RIGHT, _T.DOWN, _Z.NONE),
    "zoom_in": (_P.NONE, _T.NONE, _Z.IN),
    "zoom_out": (_P.NONE, _T.NONE, _Z.OUT),
    "stop": (_P.NONE, _T.NONE, _Z.NONE),
}
_F, _I = ptz.Focus, ptz.Iris
#: Lens actions of the API and the focus/iris they move.
_LENS: dict[str, tuple[ptz.Focus, ptz.Iris]] = {
    "focus_near": (_F.NEAR, _I.NONE),
    "focus_far": (_F.FAR, _I.NONE),
    "iris_open": (_F.NONE, _I.OPEN),
    "iris_close": (_F.NONE, _I.CLOSE),
}
PTZ_ACTIONS = (*_MOTIONS, *_LENS)
PRESET_ACTIONS = {
    "set": ptz.PresetAction.SET,
    "call": ptz.PresetAction.CALL,
    "delete": ptz.PresetAction.DELETE,
}
DeviceAction = Literal["guard", "unguard", "reboot", "record_start", "record_stop", "iframe"]
#: DeviceControl fields per device action; whether the device answers with a Result.
DEVICE_ACTIONS: dict[str, tuple[dict[str, str], bool]] = {
    "guard": ({"guard_cmd": control.GUARD_SET}, True),
    "unguard": ({"guard_cmd": control.GUARD_RESET}, True),
    "reboot": ({"tele_boot": control.TELE_BOOT}, False),
    "record_start": ({"record_cmd": control.RECORD_START}, True),
    "record_stop": ({"record_cmd": control.RECORD_STOP}, True),
    "iframe": ({"ifame_cmd": control.IFRAME_SEND}, False),
}


def ptz_command(action: str, speed: int) -> ptz.Command:
    """The PTZ command of an API action at ``speed`` (0–255; zoom uses its top 4 bits)."""
    if not 0 <= speed <= 255:
        raise Invalid("speed must be 0..255", code="field.range", field="speed", min=0, max=255)
    if action in _MOTIONS:
        pan, tilt, zoom = _MOTIONS[action]
        return ptz.Motion(
            pan,
            tilt,
            zoom,
            speed if pan else 0,
            speed if tilt else 0,
            speed >> 4 if zoom else 0,
        )
    if action in _LENS:
        focus, iris = _LENS[action]
        return ptz.FocusIris(focus, iris, speed if focus else 0, speed if iris else 0)
    raise Invalid(
        f"unknown PTZ action {action!r}; one of {', '.join(PTZ_ACTIONS)}",
        code="ptz.action",
        action=action,
    )
