"""Blur the masked regions of a decoded picture, in its YUV 4:2:0 planes.

A region is drawn once per picture size from the mask polygons (points normalised to 0–1); each
plane is smeared — shrunk 16 times by area averaging, box-blurred, grown back — and the smear is
copied into the region only. What stays there is a blur of colours without edges: no face, plate
or text survives it, and what is outside the region is untouched to the bit.
"""

from __future__ import annotations

from collections.abc import Sequence

import av
import cv2
import numpy as np
from numpy.typing import NDArray

from vigil.media.masking.caption import burn_caption

__all__ = ["SHRINK", "Masker", "mask_region", "smear"]

SHRINK = 16
"""How many pixels of the picture one pixel of the smear averages, each way."""

Polygon = Sequence[tuple[float, float]]
Plane = NDArray[np.uint8]


def mask_region(width: int, height: int, masks: Sequence[Polygon]) -> NDArray[np.bool_]:
    """Which pixels of a ``width`` × ``height`` picture the polygons cover."""
    canvas = np.zeros((height, width), np.uint8)
    scale = np.array([width, height], np.float64)
    outlines = [np.round(np.asarray(p, np.float64) * scale).astype(np.int32) for p in masks]
    if outlines:
        cv2.fillPoly(canvas, outlines, 255)
    return canvas.astype(bool)


def smear(plane: Plane) -> Plane:
    """The plane shrunk :data:`SHRINK` times, box-blurred over 3 × 3 and grown back."""
    height, width = plane.shape
    small = cv2.resize(
        plane,
        (max(1, width // SHRINK), max(1, height // SHRINK)),
        interpolation=cv2.INTER_AREA,
    )
    blurred = cv2.blur(small, (3, 3))
    grown = cv2.resize(blurred, (width, height), interpolation=cv2.INTER_LINEAR)
    return np.asarray(grown, dtype=np.uint8)


class Masker:
    """Blurs the masked regions of pictures (the region is kept per picture size) and burns in
    a ``caption`` if given (:mod:`.caption`: an export's watermark)."""

    def __init__(self, masks: Sequence[Polygon], caption: str | None = None) -> None:
        self.masks = [tuple(p) for p in masks]
        self.caption = caption
        self._regions: dict[tuple[int, int], tuple[NDArray[np.bool_], NDArray[np.bool_]]] = {}

    def apply(self, frame: av.VideoFrame) -> av.VideoFrame:
        """A new frame: ``frame`` in YUV 4:2:0 at an even size, the masked regions blurred."""
        width, height = frame.width & ~1, frame.height & ~1
        if frame.format.name != "yuv420p" or (width, height) != (frame.width, frame.height):
            frame = frame.reformat(width=width, height=height, format="yuv420p")
        picture: Plane = np.ascontiguousarray(frame.to_ndarray(), dtype=np.uint8)
        y = picture[:height]
        u = picture[height : height + height // 4].reshape(height // 2, width // 2)
        v = picture[height + height // 4 :].reshape(height // 2, width // 2)
        if self.masks:
            luma, chroma = self._region(width, height)
            np.copyto(y, smear(y), where=luma)
            np.copyto(u, smear(u), where=chroma)
            np.copyto(v, smear(v), where=chroma)
        if self.caption:
            burn_caption(y, self.caption)
        masked = av.VideoFrame.from_ndarray(picture, format="yuv420p")
        masked.pts = frame.pts
        if frame.time_base is not None:
            masked.time_base = frame.time_base
        return masked

    def _region(self, width: int, height: int) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
        region = self._regions.get((width, height))
        if region is None:
            luma = mask_region(width, height, self.masks)
            region = self._regions[(width, height)] = (luma, luma[::2, ::2].copy())
        return region
