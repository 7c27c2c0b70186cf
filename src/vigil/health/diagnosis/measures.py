"""What is measured on one round of decoded frames: pure NumPy/OpenCV, no state, no I/O.

A round is a handful of frames (BGR, as PyAV's ``bgr24`` gives them) spread over a second or two.
Every frame is first reduced to ``ANALYSIS_WIDTH`` so that a 4K camera costs the same as a CIF
one; per-frame figures are then combined across the round by their median, so one odd frame (a
passing truck, a lost packet) does not decide a verdict. The figures are raw: what counts as bad
depends on the camera's own baseline and is decided in :mod:`.detectors`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

__all__ = ["ANALYSIS_WIDTH", "Measures", "analysis_frame", "coarse", "measure", "similarity"]

#: Width frames are reduced to before measuring.
ANALYSIS_WIDTH = 640
#: Width of the coarse gradient picture compared with a preset's reference.
_COARSE_WIDTH = 128
#: Side of the blocks flatness (occlusion) and motion (freeze) are judged on, in analysis pixels.
_BLOCK = 32
#: A block is flat when its standard deviation is below this share of the frame's 90th percentile
#: block deviation, and below ``_FLAT_ABS`` grey levels.
_FLAT_REL = 0.1
_FLAT_ABS = 4.0
#: Grey levels of change between frames ignored when measuring motion (the encoder's own jitter
#: on a picture that does not change).
_MOTION_DEADZONE = 1.0
#: Stripes: spectral lines looked for between these periods (analysis pixels), each held against
#: the median of this many bins on either side.
_STRIPE_PERIODS = (3.0, 64.0)
_STRIPE_NEIGHBOURS = 8


@dataclass(frozen=True, slots=True)
class Measures:
    """One round's figures (medians over its frames unless said otherwise).

    * ``luma_mean``: mean grey level (0–255).
    * ``contrast``: 95th minus 5th percentile of the grey level.
    * ``clipped``: share of pixels at 250 or above.
    * ``cast_a``, ``cast_b``: mean CIELAB a* and b* (0 is neutral); ``chroma``: mean distance of
      the pixels' (a*, b*) from that mean; a greyscale (night) picture has both near 0.
    * ``stripes``: strongest periodic peak of the row or column profile's spectrum over the
      median of that spectrum, in dB.
    * ``sharpness``: energy of fine detail (a difference of Gaussians, σ 1 and 2, above the
      scale of sensor noise) over the grey variance (scale-free), of the round's mean picture.
    * ``flat``: of the mean picture, share of blocks that are flat against the rest of the
      frame (a covered lens).
    * ``motion``: 90th percentile over blocks of the mean absolute change between consecutive
      frames (max over the round's pairs); 0 when the picture is frozen, whether or not an
      on-screen clock still ticks.
    * ``noise``: noise standard deviation (grey levels) from the change between frames in the
      quietest quarter of the blocks: sensor noise and snow, not texture.
    * ``roll``: median vertical shift between consecutive frames, as a share of the height.
    """

    luma_mean: float
    contrast: float
    clipped: float
    cast_a: float
    cast_b: float
    chroma: float
    stripes: float
    sharpness: float
    flat: float
    motion: float
    noise: float
    roll: float

    def as_dict(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in self.__slots__}


def analysis_frame(frame: np.ndarray) -> np.ndarray:
    """``frame`` (BGR uint8) reduced to at most ``ANALYSIS_WIDTH`` wide, area-averaged."""
    h, w = frame.shape[:2]
    if w <= ANALYSIS_WIDTH:
        return frame
    size = (ANALYSIS_WIDTH, max(2, round(h * ANALYSIS_WIDTH / w)))
    return cv2.resize(frame, size, interpolation=cv2.INTER_AREA)


def measure(frames: Sequence[np.ndarray]) -> Measures:
    """Measure a round; ``frames`` are BGR uint8 arrays of one size, at least two of them."""
    if len(frames) < 2:
        raise ValueError("a diagnosis round needs at least two frames")
    small = [analysis_frame(f) for f in frames]
    greys = [cv2.cvtColor(f, cv2.COLOR_BGR2GRAY) for f in small]
    per_frame = np.array([_still(f, g) for f, g in zip(small, greys, strict=True)])
    still = np.median(per_frame, axis=0)
    floats = [g.astype(np.float32) for g in greys]
    pairs = list(itertools.pairwise(floats))
    # Texture is judged on the round's mean picture: noise averages out, structure stays.
    mean_grey = np.asarray(np.mean(floats, axis=0), dtype=np.float32)
    fine = cv2.GaussianBlur(mean_grey, (0, 0), 1.0)
    detail = fine - cv2.GaussianBlur(fine, (0, 0), 1.7)
    sharpness = float(detail.var()) / (float(mean_grey.var()) + 1)
    diffs = [cv2.subtract(b, a) for a, b in pairs]
    motion = max(_motion(d) for d in diffs)
    noise = float(np.median([_temporal_noise(d) for d in diffs]))
    roll = float(np.median([_vertical_shift(a, b) for a, b in pairs]))
    luma_mean, contrast, clipped, cast_a, cast_b, chroma, stripes = (float(x) for x in still)
    return Measures(
        luma_mean=luma_mean,
        contrast=contrast,
        clipped=clipped,
        cast_a=cast_a,
        cast_b=cast_b,
        chroma=chroma,
        stripes=stripes,
        sharpness=sharpness,
        flat=_flat_share(mean_grey),
        motion=motion,
        noise=noise,
        roll=roll,
    )


def _still(frame: np.ndarray, grey: np.ndarray) -> tuple[float, ...]:
    """The per-frame figures, in the order of :class:`Measures`' first fields."""
    g = grey.astype(np.float32)
    mean = float(g.mean())
    p5, p95 = np.percentile(grey, (5, 95))
    clipped = float(np.count_nonzero(grey >= 250)) / grey.size
    lab = cv2.cvtColor(frame, cv2.COLOR_BGR2LAB)[::2, ::2].reshape(-1, 3).astype(np.float32)
    ab = lab[:, 1:] - 128.0
    cast = ab.mean(axis=0)
    chroma = float(np.linalg.norm(ab - cast, axis=1).mean())
    return (
        mean,
        float(p95 - p5),
        clipped,
        float(cast[0]),
        float(cast[1]),
        chroma,
        max(_stripe_peak(g.mean(axis=1)), _stripe_peak(g.mean(axis=0))),
    )


def _stripe_peak(profile: np.ndarray) -> float:
    """dB of ``profile``'s strongest spectral line over the median of the bins around it.

    A periodic band is a line in the spectrum of the row (or column) means; a natural picture's
    spectrum is smooth at that scale, so the ratio to the neighbourhood finds the line whatever
    the picture's overall spectrum looks like.
    """
    n = profile.size
    if n < 64:
        return 0.0
    detrended = profile - cv2.GaussianBlur(profile.reshape(-1, 1), (0, 0), 16.0).ravel()
    spectrum = np.abs(np.fft.rfft(detrended * np.hanning(n))) ** 2
    freqs = np.fft.rfftfreq(n)
    side = _STRIPE_NEIGHBOURS
    windows = sliding_window_view(np.pad(spectrum, side, mode="edge"), 2 * side + 1)
    # the bin itself and its two neighbours (a line leaks into them) are not its neighbourhood
    around = np.delete(windows, [side - 1, side, side + 1], axis=1)
    ratio = spectrum / (np.median(around, axis=1) + 1e-9)
    band = (freqs >= 1 / _STRIPE_PERIODS[1]) & (freqs <= 1 / _STRIPE_PERIODS[0])
    return float(10 * math.log10(float(ratio[band].max()) + 1e-9))


def _blocks(a: np.ndarray) -> np.ndarray:
    """``a`` cut into whole ``_BLOCK``×``_BLOCK`` blocks: shape (rows, cols, B, B)."""
    h, w = a.shape[0] // _BLOCK * _BLOCK, a.shape[1] // _BLOCK * _BLOCK
    return a[:h, :w].reshape(h // _BLOCK, _BLOCK, w // _BLOCK, _BLOCK).swapaxes(1, 2)


def _flat_share(g: np.ndarray) -> float:
    stds = _blocks(g).std(axis=(2, 3))
    if stds.size == 0:
        return 0.0
    limit = min(_FLAT_ABS, _FLAT_REL * float(np.percentile(stds, 90)))
    return float(np.count_nonzero(stds < limit) / stds.size)


def _motion(diff: np.ndarray) -> float:
    change = _blocks(np.maximum(np.abs(diff) - _MOTION_DEADZONE, 0)).mean(axis=(2, 3))
    return float(np.percentile(change, 90)) if change.size else 0.0


def _temporal_noise(diff: np.ndarray) -> float:
    """Noise sigma from the change between two frames, in the quietest quarter of the blocks
    (moving things and edges do not count; noise is everywhere)."""
    spread = _blocks(diff).std(axis=(2, 3))
    return float(np.percentile(spread, 25)) / math.sqrt(2) if spread.size else 0.0


def _vertical_shift(a: np.ndarray, b: np.ndarray) -> float:
    """How far the picture moved down from ``a`` to ``b`` (wrapping), as a share of the height."""
    window = cv2.createHanningWindow((a.shape[1], a.shape[0]), cv2.CV_32F)
    (_, dy), response = cv2.phaseCorrelate(a, b, window)
    if response < 0.05:  # no clear shift: unrelated pictures or pure noise
        return 0.0
    return float(abs(dy) / a.shape[0])


def coarse(frames: Sequence[np.ndarray]) -> np.ndarray:
    """The coarse gradient structure of a round's mean picture (zero mean, unit norm): what a
    preset's view is compared by.

    The mean keeps what stands still (the view) and smears what moves through it (traffic);
    edges at this scale ignore brightness, contrast, noise and mild blur, and decorrelate within
    a few percent of a pan.
    """
    greys = [cv2.cvtColor(analysis_frame(f), cv2.COLOR_BGR2GRAY) for f in frames]
    mean = np.asarray(np.mean(greys, axis=0), dtype=np.float32)
    h, w = mean.shape
    size = (_COARSE_WIDTH, max(2, round(h * _COARSE_WIDTH / w)))
    small = cv2.GaussianBlur(cv2.resize(mean, size, interpolation=cv2.INTER_AREA), (0, 0), 1.0)
    edges = cv2.magnitude(cv2.Sobel(small, cv2.CV_32F, 1, 0), cv2.Sobel(small, cv2.CV_32F, 0, 1))
    edges = cv2.GaussianBlur(edges, (0, 0), 1.5)
    edges -= edges.mean()
    norm = float(np.linalg.norm(edges))
    return edges / norm if norm > 0 else edges


def similarity(frames: Sequence[np.ndarray], reference: np.ndarray) -> float:
    """Normalised correlation (−1…1) of the round's :func:`coarse` structure with a reference's;
    a camera turned away from its preset drops it towards 0."""
    structure = coarse(frames)
    if structure.shape != reference.shape:
        structure = cv2.resize(structure, (reference.shape[1], reference.shape[0]))
    return float((structure * reference).sum())
