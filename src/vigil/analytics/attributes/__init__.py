"""Attributes of tracked objects for search: vehicle type and body colour, people's clothing
colours, named from a track's best crop by fixed rules.

No learned model is used. The packages this project may take models from ship none for vehicle or
clothing colour (the COCO detector's class already gives the vehicle type), and what an operator
searches by is a handful of named colours, which a perceptual colour space names directly: each
pixel of the part of the box that shows the body or the clothes is named in CIE L*a*b*
(:mod:`.palette`), and the parts' pixels vote, weighted towards the box's centre and away from
the colours of the background around the box (:mod:`.regions`). What it measures is therefore the
dominant apparent colour of that part under the scene's light: a white car in deep shadow reads
grey, a car under sodium light reads orange. :mod:`.describe` says which part is read for which
class.
"""

from vigil.analytics.attributes.describe import (
    PERSON_LOWER,
    PERSON_UPPER,
    VEHICLE_BODY,
    VEHICLE_CHINESE,
    VEHICLE_TYPES,
    VehicleType,
    describe,
)
from vigil.analytics.attributes.palette import CHINESE, COLOURS, UNKNOWN, Colour
from vigil.analytics.attributes.regions import PixelBox, Region, colour_of

__all__ = [
    "CHINESE",
    "COLOURS",
    "PERSON_LOWER",
    "PERSON_UPPER",
    "UNKNOWN",
    "VEHICLE_BODY",
    "VEHICLE_CHINESE",
    "VEHICLE_TYPES",
    "Colour",
    "PixelBox",
    "Region",
    "VehicleType",
    "colour_of",
    "describe",
]
