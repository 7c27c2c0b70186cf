"""Licence plates: found inside vehicle boxes, warped flat, read, checked against the Chinese
plate formats, coloured; one reading per track."""

from vigil.analytics.plates.formats import PlateKind, normalise, plate_kind
from vigil.analytics.plates.recogniser import PlateReading, PlateRecogniser

__all__ = ["PlateKind", "PlateReading", "PlateRecogniser", "normalise", "plate_kind"]
