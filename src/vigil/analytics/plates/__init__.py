"""Licence plates: found inside vehicle boxes, warped flat, read, checked against the Chinese
plate formats, coloured (:mod:`.recogniser`); found for blurring in exports (:mod:`.finder`).

Importing the package loads no model code: the recogniser and the finder import ONNX Runtime and
OpenCV, so they are imported by name where they are used.
"""

from vigil.analytics.plates.formats import PlateKind, normalise, plate_kind

__all__ = ["PlateKind", "normalise", "plate_kind"]
