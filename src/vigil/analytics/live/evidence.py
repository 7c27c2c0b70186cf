"""Evidence pictures: a rule event's frame with its box drawn, a track's best crop, as JPEG."""

from __future__ import annotations

import cv2
import numpy as np

__all__ = ["framed", "jpeg", "normalised", "snapshot"]

Box = tuple[float, float, float, float]

_QUALITY = 85
_RED = (0, 0, 255)  # BGR
#: A crop's margin around the box, as a share of the box's size.
_MARGIN = 0.1


def normalised(box: Box, width: int, height: int) -> Box:
    """``box`` in pixels as fractions of the frame (clamped to it), rounded to 4 places."""
    x1, y1, x2, y2 = box
    return (
        round(min(max(x1 / width, 0.0), 1.0), 4),
        round(min(max(y1 / height, 0.0), 1.0), 4),
        round(min(max(x2 / width, 0.0), 1.0), 4),
        round(min(max(y2 / height, 0.0), 1.0), 4),
    )


def framed(rgb: np.ndarray, box: Box) -> tuple[np.ndarray, tuple[int, int, int, int]] | None:
    """A copy of the part of ``rgb`` under ``box`` with a small margin, and the box in the copy's
    pixels (x1, y1, x2, y2; x2 and y2 exclusive); None when it is empty."""
    height, width = rgb.shape[:2]
    x1, y1, x2, y2 = box
    dx, dy = (x2 - x1) * _MARGIN, (y2 - y1) * _MARGIN
    left, top = max(int(x1 - dx), 0), max(int(y1 - dy), 0)
    right, bottom = min(int(x2 + dx) + 1, width), min(int(y2 + dy) + 1, height)
    if right <= left or bottom <= top:
        return None
    inner_x1, inner_y1 = max(round(x1) - left, 0), max(round(y1) - top, 0)
    inner_x2 = min(max(round(x2) - left, inner_x1), right - left)
    inner_y2 = min(max(round(y2) - top, inner_y1), bottom - top)
    return rgb[top:bottom, left:right].copy(), (inner_x1, inner_y1, inner_x2, inner_y2)


def jpeg(rgb: np.ndarray) -> bytes:
    """``rgb`` (H×W×3) as a JPEG."""
    ok, data = cv2.imencode(
        ".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, _QUALITY]
    )
    if not ok:
        raise ValueError("the picture could not be encoded as JPEG")
    return bytes(data.tobytes())


def snapshot(rgb: np.ndarray, box: Box) -> bytes:
    """The whole frame as a JPEG with ``box`` (pixels) drawn in red."""
    picture = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
    x1, y1, x2, y2 = (round(v) for v in box)
    thickness = max(2, picture.shape[1] // 320)
    cv2.rectangle(picture, (x1, y1), (x2, y2), _RED, thickness)
    ok, data = cv2.imencode(".jpg", picture, [cv2.IMWRITE_JPEG_QUALITY, _QUALITY])
    if not ok:
        raise ValueError("the snapshot could not be encoded as JPEG")
    return bytes(data.tobytes())
