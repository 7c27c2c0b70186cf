"""Where to look: the changed regions joined into one crop for the detector.

The crop is the regions' bounding box with a margin, grown to the frame's own shape and to at
least the model's input width (so that a small region is seen at full resolution, not shrunk,
and costs no more to detect than the whole frame) and moved inside the frame. When it would
cover most of the frame anyway, the whole frame is used.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["Box", "crop_for"]

#: Region boxes: x1, y1, x2, y2 in source pixels.
Box = tuple[int, int, int, int]
_MARGIN = 0.1
_WHOLE_ABOVE = 0.6


def crop_for(regions: Sequence[Box], frame: tuple[int, int], side: int) -> Box:
    """The crop (x1, y1, x2, y2) of a ``frame`` (width, height) that holds every region."""
    width, height = frame
    x1, y1 = min(r[0] for r in regions), min(r[1] for r in regions)
    x2, y2 = max(r[2] for r in regions), max(r[3] for r in regions)
    margin = round(_MARGIN * max(x2 - x1, y2 - y1))
    aspect = width / height
    crop_width = math.ceil(max(x2 - x1 + 2 * margin, (y2 - y1 + 2 * margin) * aspect, side))
    crop_height = math.ceil(crop_width / aspect)
    if (
        crop_width > width
        or crop_height > height
        or crop_width * crop_height >= (_WHOLE_ABOVE * width * height)
    ):
        return (0, 0, width, height)
    left = _inside((x1 + x2) // 2 - crop_width // 2, crop_width, width)
    top = _inside((y1 + y2) // 2 - crop_height // 2, crop_height, height)
    return (left, top, left + crop_width, top + crop_height)


def _inside(start: int, length: int, limit: int) -> int:
    return max(0, min(start, limit - length))
