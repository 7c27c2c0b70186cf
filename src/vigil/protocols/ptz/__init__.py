"""PTZCmd codec: typed camera control commands and their 8-byte GB/T 28181 frame.

``str(PtzCmd(Motion(pan=Pan.LEFT, pan_speed=0x20)))`` gives the 16 hex digits of a
``<PTZCmd>`` element; ``PtzCmd.parse(text)`` reads any valid one back into a typed command.
"""

from __future__ import annotations

from vigil.protocols.ptz.commands import (
    AuxSwitch,
    Command,
    CruiseAction,
    CruiseDwell,
    CruisePoint,
    CruiseSpeed,
    CruiseStart,
    Focus,
    FocusIris,
    Iris,
    Motion,
    Pan,
    Preset,
    PresetAction,
    Scan,
    ScanAction,
    ScanSpeed,
    Tilt,
    Zoom,
)
from vigil.protocols.ptz.frame import PtzCmd

# Everything in __all__ is the public API of vigil.protocols.ptz.
__all__ = [
    "AuxSwitch",
    "Command",
    "CruiseAction",
    "CruiseDwell",
    "CruisePoint",
    "CruiseSpeed",
    "CruiseStart",
    "Focus",
    "FocusIris",
    "Iris",
    "Motion",
    "Pan",
    "Preset",
    "PresetAction",
    "PtzCmd",
    "Scan",
    "ScanAction",
    "ScanSpeed",
    "Tilt",
    "Zoom",
]
