"""What an object looks like, as an operator searches for it: a vehicle's type and body colour, a
person's upper and lower clothing colours.

* A vehicle's type is its detector class (COCO's car, bus, truck, motorcycle, bicycle) under the
  names of :class:`VehicleType`. Its body colour is read from the lower middle of its box
  (:data:`VEHICLE_BODY`: 45–80 % of the height, 15–85 % of the width) — below the windows and
  the roof's reflections, above the wheels and the road. Two-wheelers get a type but no colour:
  their boxes are mostly background seen through the frame and the rider's clothes.
* A person's upper colour is read from 20–50 % of the box's height (:data:`PERSON_UPPER`, below
  the head, the torso), the lower from 55–85 % (:data:`PERSON_LOWER`, the legs above the feet).
* Other classes have no attributes.

A colour is "unknown" when its part is too small or too mixed (:mod:`.regions`). A crop larger
than :data:`MAX_SIDE` pixels on a side is first shrunk to it (averaging pixels, which a colour
vote does not miss): the cost stays a few milliseconds per track whatever the resolution.
"""

from __future__ import annotations

import enum

import cv2
import numpy as np

from vigil.analytics.attributes.regions import PixelBox, Region, colour_of

__all__ = [
    "MAX_SIDE",
    "PERSON_LOWER",
    "PERSON_UPPER",
    "VEHICLE_BODY",
    "VEHICLE_CHINESE",
    "VEHICLE_TYPES",
    "VehicleType",
    "describe",
]


class VehicleType(enum.StrEnum):
    """A vehicle's type; the value is the API's word (and, today, the detector's class)."""

    car = "car"
    bus = "bus"
    truck = "truck"
    motorcycle = "motorcycle"
    bicycle = "bicycle"


#: The console's words.
VEHICLE_CHINESE: dict[VehicleType, str] = {
    VehicleType.car: "小型车",
    VehicleType.bus: "客车",
    VehicleType.truck: "货车",
    VehicleType.motorcycle: "摩托车",
    VehicleType.bicycle: "自行车",
}

#: Detector class → vehicle type.
VEHICLE_TYPES: dict[str, VehicleType] = {kind.value: kind for kind in VehicleType}
_BODIES = frozenset({VehicleType.car, VehicleType.bus, VehicleType.truck})

#: The longest side, in pixels, a crop is read at.
MAX_SIDE = 128

VEHICLE_BODY = Region(0.15, 0.45, 0.85, 0.80)
PERSON_UPPER = Region(0.10, 0.20, 0.90, 0.50)
PERSON_LOWER = Region(0.10, 0.55, 0.90, 0.85)


def _shrunk(crop: np.ndarray, box: PixelBox | None) -> tuple[np.ndarray, PixelBox | None]:
    """``crop`` at most :data:`MAX_SIDE` pixels on a side, and ``box`` scaled with it."""
    height, width = crop.shape[:2]
    scale = MAX_SIDE / max(height, width)
    if scale >= 1.0:
        return crop, box
    size = (max(round(width * scale), 1), max(round(height * scale), 1))
    smaller = cv2.resize(crop, size, interpolation=cv2.INTER_AREA)
    if box is None:
        return smaller, None
    x1, y1, x2, y2 = (round(v * scale) for v in box)
    return smaller, (x1, y1, x2, y2)


def describe(label: str, crop: np.ndarray, box: PixelBox | None = None) -> dict[str, str]:
    """The attributes of an object of class ``label`` seen in ``crop`` (H×W×3 RGB, uint8) at
    ``box`` (pixels of the crop; None: the whole crop): ``{"type", "colour"}`` for a car, bus or
    truck, ``{"type"}`` for a two-wheeler, ``{"upper", "lower"}`` for a person, else ``{}``."""
    crop, box = _shrunk(crop, box)
    if label == "person":
        return {
            "upper": colour_of(crop, box, PERSON_UPPER),
            "lower": colour_of(crop, box, PERSON_LOWER),
        }
    kind = VEHICLE_TYPES.get(label)
    if kind is None:
        return {}
    if kind not in _BODIES:
        return {"type": kind.value}
    return {"type": kind.value, "colour": colour_of(crop, box, VEHICLE_BODY)}
