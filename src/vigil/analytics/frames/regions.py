"""Where to look: the changed regions joined into one crop for the detector.

The crop is the regions' bounding box with a margin, grown to a square at least the model's input
side (so that a small region is seen at full resolution, not shrunk) and moved inside the frame.
When that square would cover most of the frame anyway, the whole frame is used.
"""

from __future__ import annotations

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
    square = max(x2 - x1 + 2 * margin, y2 - y1 + 2 * margin, side)
    if square > min(width, height) or square * square >= _WHOLE_ABOVE * width * height:
        return (0, 0, width, height)
    left = _inside((x1 + x2) // 2 - square // 2, square, width)
    top = _inside((y1 + y2) // 2 - square // 2, square, height)
    return (left, top, left + square, top + square)


def _inside(start: int, length: int, limit: int) -> int:
    return max(0, min(start, limit - length))
