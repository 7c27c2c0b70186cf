"""A plate's colour from its flattened picture: the colour of its background.

Otsu's threshold splits the grey picture into two classes, characters and background; the
background is the class that fills the strips above and below the characters. Its median in HSV
(OpenCV's hue 0–180) names it: little saturation is white (bright) or black (dark); otherwise
hue 15–35 is yellow, 35–90 green (the new-energy plates' white-to-green gradient included),
90–135 blue. No plate colour lies elsewhere; such a picture is ``unknown``. Measured on rendered
plates only (see the tests).
"""

from __future__ import annotations

from typing import Literal

import cv2
import numpy as np

__all__ = ["PlateColour", "plate_colour"]

PlateColour = Literal["blue", "yellow", "green", "white", "black", "unknown"]


def plate_colour(bgr: np.ndarray) -> PlateColour:
    """The colour of the plate filling ``bgr``."""
    height, width = bgr.shape[:2]
    inner = bgr[height // 8 : height - height // 8, width // 20 : width - width // 20]
    grey = cv2.cvtColor(inner, cv2.COLOR_BGR2GRAY)
    threshold, split = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    light = split > 0
    # The strips above and below the characters are background (bar the border's thin line).
    band = max(1, height // 10)
    edges = cv2.cvtColor(np.concatenate([bgr[:band], bgr[-band:]]), cv2.COLOR_BGR2GRAY)
    background = light if (edges > threshold).mean() >= 0.5 else ~light
    hsv = cv2.cvtColor(inner, cv2.COLOR_BGR2HSV)[background]
    if hsv.size == 0:
        return "unknown"
    hue, saturation, value = (float(v) for v in np.median(hsv, axis=0))
    if saturation < 60:
        return "white" if value >= 110 else "black"
    if 15 <= hue < 35:
        return "yellow"
    if 35 <= hue < 90:
        return "green"
    if 90 <= hue < 135:
        return "blue"
    return "unknown"
