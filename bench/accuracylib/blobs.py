"""The reference detector: moving blobs, found by OpenCV's MOG2 background subtractor.

MOG2 models each pixel's background as a mixture of Gaussians and marks what does not fit it;
shadows are marked apart (value 127) and dropped here. The foreground mask is opened (specks
gone), then closed with a tall kernel (a walker's legs, torso and head joined into one blob),
and each blob of at least ``min_area`` pixels and ``min_height`` rows becomes a box. A blob knows
nothing of classes: every box is called ``person``, which is what moves in vtest.avi. It was
also how the hand labels were drafted (``tools/label_frames.py draft``) before being corrected by
eye; the labels, not this draft, are what it is scored against.

The subtractor learns from every source frame, from the clip's start, so that the background is
known before the first labelled frame.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import cv2
import numpy as np

__all__ = ["Blob", "moving_blobs"]

_FOREGROUND = 255
_OPEN = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3))
_CLOSE = cv2.getStructuringElement(cv2.MORPH_RECT, (7, 21))


@dataclass(frozen=True)
class Blob:
    """One moving blob's box in source pixels, called ``person`` (the reference has no classes)."""

    box: tuple[float, float, float, float]
    label: str = "person"


def blobs_in(mask: np.ndarray, min_area: int = 150, min_height: int = 15) -> list[Blob]:
    """The boxes of the foreground blobs of a MOG2 mask (shadows dropped)."""
    foreground: np.ndarray = np.where(mask == _FOREGROUND, 255, 0).astype(np.uint8)
    foreground = cv2.morphologyEx(foreground, cv2.MORPH_OPEN, _OPEN)
    foreground = cv2.morphologyEx(foreground, cv2.MORPH_CLOSE, _CLOSE)
    count, _, stats, _ = cv2.connectedComponentsWithStats(foreground)
    found = []
    for x, y, w, h, area in stats[1:count]:
        if area >= min_area and h >= min_height:
            found.append(Blob((float(x), float(y), float(x + w), float(y + h))))
    return found


def moving_blobs(
    path: Path, frames: frozenset[int]
) -> Iterator[tuple[int, np.ndarray, list[Blob]]]:
    """For each wanted frame number, in order: the number, the BGR picture and its blobs. Every
    frame up to the last wanted one is decoded and learnt from."""
    subtractor = cv2.createBackgroundSubtractorMOG2(history=500, varThreshold=16)
    last = max(frames)
    with av.open(str(path)) as container:
        for index, frame in enumerate(container.decode(video=0)):
            picture = frame.to_ndarray(format="bgr24")
            mask = subtractor.apply(picture)
            if index in frames:
                yield index, picture, blobs_in(mask)
            if index >= last:
                return
