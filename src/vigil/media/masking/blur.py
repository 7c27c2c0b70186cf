"""Blur the masked regions of a decoded picture, in its YUV 4:2:0 planes.

A region is drawn once per picture size from the mask polygons (points normalised to 0–1); each
plane is smeared — shrunk 16 times by area averaging, box-blurred, grown back — and the smear is
copied into the region only. What stays there is a blur of colours without edges: no face, plate
or text survives it, and what is outside the region is untouched to the bit.

Boxes found in the picture (faces, plates: :mod:`.regions`) are smeared the same way, each on its
own, from its own pixels only, and coarser where a box is large: at most :data:`CELLS` cells across,
so a face close to the camera is as unrecognisable as a small one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import av
import cv2
import numpy as np
from numpy.typing import NDArray

from vigil.media.masking.caption import burn_caption
from vigil.media.masking.regions import Box, RegionFinder

__all__ = ["CELLS", "SHRINK", "Found", "Masker", "blur_boxes", "mask_region", "smear"]

SHRINK = 16
"""How many pixels of the picture one pixel of the smear averages, each way."""
CELLS = 6
"""Cells across a smeared box's longer side, at most."""

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


def smear(plane: Plane, shrink: int = SHRINK) -> Plane:
    """The plane shrunk ``shrink`` times, box-blurred over 3 × 3 and grown back."""
    height, width = plane.shape
    small = cv2.resize(
        plane,
        (max(1, width // shrink), max(1, height // shrink)),
        interpolation=cv2.INTER_AREA,
    )
    blurred = cv2.blur(small, (3, 3))
    grown = cv2.resize(blurred, (width, height), interpolation=cv2.INTER_LINEAR)
    return np.asarray(grown, dtype=np.uint8)


def blur_boxes(y: Plane, u: Plane, v: Plane, boxes: Sequence[Box]) -> None:
    """Smear each box (in the luma's pixels, clipped to the picture) of a YUV 4:2:0 picture's
    planes, in place."""
    height, width = y.shape
    for x1, y1, x2, y2 in boxes:
        # Even edges, so that the chroma's box is the luma's halved exactly.
        left, top = max(0, math.floor(x1 / 2) * 2), max(0, math.floor(y1 / 2) * 2)
        right, bottom = min(width, math.ceil(x2 / 2) * 2), min(height, math.ceil(y2 / 2) * 2)
        if right - left < 2 or bottom - top < 2:
            continue
        shrink = max(SHRINK, math.ceil(max(right - left, bottom - top) / CELLS))
        box = y[top:bottom, left:right]
        box[...] = smear(box, shrink)
        for plane in (u, v):
            half = plane[top // 2 : bottom // 2, left // 2 : right // 2]
            half[...] = smear(half, max(1, shrink // 2))


@dataclass
class Found:
    """What one region finder found in a clip: pictures with a region, regions in all."""

    pictures: int = 0
    regions: int = 0


class Masker:
    """Blurs the masked regions of pictures (the region is kept per picture size), the boxes it
    is given, and burns in a ``caption`` if given (:mod:`.caption`: an export's watermark).

    ``finders`` (kind → finder: ``faces``…) find boxes in a picture (:meth:`find`); what each
    found is counted in :attr:`found`."""

    def __init__(
        self,
        masks: Sequence[Polygon],
        caption: str | None = None,
        finders: Mapping[str, RegionFinder] | None = None,
    ) -> None:
        self.masks = [tuple(p) for p in masks]
        self.caption = caption
        self.finders = dict(finders or {})
        self.found = {kind: Found() for kind in self.finders}
        self._regions: dict[tuple[int, int], tuple[NDArray[np.bool_], NDArray[np.bool_]]] = {}

    def find(self, frame: av.VideoFrame) -> list[Box]:
        """The boxes every finder finds in ``frame``, in its pixels."""
        if not self.finders:
            return []
        picture = np.ascontiguousarray(frame.to_ndarray(format="rgb24"), dtype=np.uint8)
        boxes: list[Box] = []
        for kind, finder in self.finders.items():
            found = list(finder(picture))
            self.found[kind].pictures += bool(found)
            self.found[kind].regions += len(found)
            boxes += found
        return boxes

    def apply(self, frame: av.VideoFrame, boxes: Sequence[Box] = ()) -> av.VideoFrame:
        """A new frame: ``frame`` in YUV 4:2:0 at an even size, the masked regions and
        ``boxes`` (in its pixels) blurred."""
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
        if boxes:
            blur_boxes(y, u, v, boxes)
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
