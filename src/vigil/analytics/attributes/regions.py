"""The colour of one part of an object: a weighted vote of its pixels' names, background held down.

The part is a :class:`Region` of the object's box (fractions of its width and height). Each pixel
is named by the palette (:func:`~.palette.name_pixels`) and votes with a weight that is

* highest on the part's vertical centre line and falls off towards its sides (a Gaussian, σ = 0.35
  of the part's width): a person's torso and legs are in the middle of the box, road and grass at
  its edges; and
* multiplied by how much more common the pixel's colour is in the part than around the object:
  the crop holds a margin of background around the box (10 % of its size each way, the live
  pipeline's crops), so with coarse L*a*b* histograms of the part (``fg``) and of that margin
  (``bg``) a pixel weighs ``fg / (fg + bg)`` — about 1 for colours the background lacks, about ½
  for colours both share (a grey coat on a grey road still votes grey), little for road seen
  between walking legs. This is the background-weighted histogram of classic colour trackers
  (Comaniciu et al. 2003) used as a soft foreground mask.

The winning colour must hold :data:`MIN_SHARE` of the weight, else the part is "unknown" (too
mixed: a striped jumper, a half-hidden body); so is a part of fewer than :data:`MIN_PIXELS` pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vigil.analytics.attributes.palette import COLOURS, UNKNOWN, lab_of, name_pixels

__all__ = ["MIN_PIXELS", "MIN_SHARE", "PixelBox", "Region", "colour_of"]

PixelBox = tuple[int, int, int, int]
"""x1, y1, x2, y2 in pixels of the crop (x2, y2 exclusive)."""

#: The share of the weighted vote the winning colour needs.
MIN_SHARE = 0.4
#: The fewest pixels a part may have to be named (e.g. 8 × 5).
MIN_PIXELS = 40
#: The fewest margin pixels that make a background model; with fewer (a box at the frame's edge
#: leaves no margin) the pixels vote unweighted by it.
MIN_BACKGROUND = 60
_SIGMA = 0.35
# Histogram bins: L* in steps of 10 (11 bins), a* and b* in steps of 12 within ±60 (10 bins each).
_L_STEP, _AB_STEP, _AB_BINS = 10.0, 12.0, 10


@dataclass(frozen=True, slots=True)
class Region:
    """A part of an object's box: its sides as fractions of the box's width (``left``,
    ``right``) and height (``top``, ``bottom``), measured from the box's top left."""

    left: float
    top: float
    right: float
    bottom: float


def _bins(lab: np.ndarray) -> np.ndarray:
    """The histogram bin of each L*a*b* pixel (N×3) as one integer."""
    lightness = np.clip(lab[:, 0] // _L_STEP, 0, 10).astype(np.int64)
    ab = np.clip((lab[:, 1:] + 60.0) // _AB_STEP, 0, _AB_BINS - 1).astype(np.int64)
    return (lightness * _AB_BINS + ab[:, 0]) * _AB_BINS + ab[:, 1]


def _part(box: PixelBox, region: Region) -> PixelBox:
    x1, y1, x2, y2 = box
    width, height = x2 - x1, y2 - y1
    return (
        x1 + round(region.left * width),
        y1 + round(region.top * height),
        x1 + round(region.right * width),
        y1 + round(region.bottom * height),
    )


def _margin(crop: np.ndarray, box: PixelBox) -> np.ndarray:
    """The crop's pixels outside ``box`` (N×3)."""
    outside = np.ones(crop.shape[:2], dtype=bool)
    x1, y1, x2, y2 = box
    outside[y1:y2, x1:x2] = False
    return np.asarray(crop[outside])


def _centre_weights(height: int, width: int) -> np.ndarray:
    offset = (np.arange(width) + 0.5 - width / 2) / (_SIGMA * width)
    return np.tile(np.exp(-0.5 * offset**2), height)


def colour_of(crop: np.ndarray, box: PixelBox | None, region: Region) -> str:
    """The palette colour of ``region`` of the object at ``box`` in ``crop`` (H×W×3 RGB,
    uint8; ``box`` None: the whole crop is the object, nothing is background), or "unknown"."""
    height, width = crop.shape[:2]
    whole = box or (0, 0, width, height)
    x1, y1, x2, y2 = _part(whole, region)
    x1, y1, x2, y2 = max(x1, 0), max(y1, 0), min(x2, width), min(y2, height)
    if x2 <= x1 or y2 <= y1 or (x2 - x1) * (y2 - y1) < MIN_PIXELS:
        return UNKNOWN
    lab = lab_of(crop[y1:y2, x1:x2]).reshape(-1, 3)
    weights = _centre_weights(y2 - y1, x2 - x1)
    background = _margin(crop, whole) if box is not None else crop[:0].reshape(0, 3)
    if len(background) >= MIN_BACKGROUND:
        inside = _bins(lab)
        size = 11 * _AB_BINS * _AB_BINS
        fg = np.bincount(inside, minlength=size) / len(inside)
        bg = np.bincount(_bins(lab_of(background)), minlength=size) / len(background)
        weights = weights * fg[inside] / (fg[inside] + bg[inside])
    votes = np.bincount(name_pixels(lab), weights=weights, minlength=len(COLOURS))
    best = int(np.argmax(votes))
    if votes[best] < MIN_SHARE * votes.sum():
        return UNKNOWN
    return COLOURS[best].value
