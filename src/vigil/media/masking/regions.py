"""What an anonymised picture hides besides its masks: regions found in it (faces, plates).

A region finder is anything that, called with a picture (an H×W×3 ``uint8`` RGB array), gives
the boxes (x1, y1, x2, y2, in the picture's pixels) of what must not be recognisable, and names
its model (:class:`RegionFinder`): the face detector of :mod:`vigil.analytics.faces` is one, a
plate finder will be another. Media knows them only by this shape; the composition root hands them
in. :mod:`.region_tracks` follows the boxes from picture to picture, so that one the finder misses
for a while is still blurred.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

__all__ = ["MARGIN", "Box", "RegionFinder", "grown", "overlap"]

MARGIN = 0.2
"""Share of a box's width (height) added on its left and right (top and bottom) when blurred:
a detector's box is tight (brow to chin), hair and ears lie outside it."""

Box = tuple[float, float, float, float]


class RegionFinder(Protocol):
    """Finds what to blur in a picture; :attr:`model` and :attr:`sha256` name its model for an
    export's manifest."""

    @property
    def model(self) -> str: ...

    @property
    def sha256(self) -> str: ...

    def __call__(self, picture: NDArray[np.uint8]) -> Sequence[Box]: ...


def grown(box: Box, margin: float = MARGIN) -> Box:
    """``box`` with ``margin`` of its width and height added on each side."""
    x1, y1, x2, y2 = box
    dx, dy = (x2 - x1) * margin, (y2 - y1) * margin
    return (x1 - dx, y1 - dy, x2 + dx, y2 + dy)


def overlap(a: Box, b: Box) -> float:
    """Intersection over union of two boxes."""
    wide = min(a[2], b[2]) - max(a[0], b[0])
    high = min(a[3], b[3]) - max(a[1], b[1])
    common = max(0.0, wide) * max(0.0, high)
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - common
    return common / union if union > 0 else 0.0
