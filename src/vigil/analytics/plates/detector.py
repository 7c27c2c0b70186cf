"""Plate detection: boxes and the four corners of each plate in a BGR picture.

The packaged detector (``clp_det.onnx``) is a RetinaFace-style network: the picture, BGR less
the means (104, 117, 123), in, at any size; for every prior a box offset, a plate score and four
corner offsets out. Priors are two square sizes per stride (24 and 48 px at stride 8, 96 and 192
at 16, 384 and 768 at 32) centred on each cell; offsets decode with the variances 0.1 (centre,
corners) and 0.2 (size, as a log). The corners come bottom-right, bottom-left, top-left,
top-right; :class:`PlateCandidate` holds them clockwise from the top-left.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vigil.analytics.models.cache import open_session

__all__ = ["PlateCandidate", "PlateDetector"]

_MEANS = np.array([104, 117, 123], dtype=np.float32)
_PRIORS = ((8, (24, 48)), (16, (96, 192)), (32, (384, 768)))
_CORNER_ORDER = [2, 3, 0, 1]  # the network's order → top-left, top-right, bottom-right, bottom-left
#: Boxes overlapping a better one by more than this are the same plate.
NMS_IOU = 0.4


@dataclass(frozen=True, slots=True)
class PlateCandidate:
    """A plate found: its box (x1, y1, x2, y2), score and corners (4×2, clockwise from the
    top-left), in the picture's pixels."""

    box: tuple[float, float, float, float]
    score: float
    corners: np.ndarray


def _priors(height: int, width: int) -> np.ndarray:
    """(N, 4) priors as centre x, centre y, width, height, relative to the picture."""
    parts = []
    for step, sizes in _PRIORS:
        rows, cols = math.ceil(height / step), math.ceil(width / step)
        ys, xs = np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij")
        cx = (xs.ravel() + 0.5) * step / width
        cy = (ys.ravel() + 0.5) * step / height
        per_size = [
            np.stack([cx, cy, np.full_like(cx, s / width), np.full_like(cy, s / height)], 1)
            for s in sizes
        ]
        parts.append(np.stack(per_size, 1).reshape(-1, 4))
    return np.concatenate(parts).astype(np.float32)


def _iou(box: np.ndarray, others: np.ndarray) -> np.ndarray:
    x1 = np.maximum(box[0], others[:, 0])
    y1 = np.maximum(box[1], others[:, 1])
    x2 = np.minimum(box[2], others[:, 2])
    y2 = np.minimum(box[3], others[:, 3])
    inter = np.clip(x2 - x1, 0, None) * np.clip(y2 - y1, 0, None)
    area = (box[2] - box[0]) * (box[3] - box[1])
    areas = (others[:, 2] - others[:, 0]) * (others[:, 3] - others[:, 1])
    result: np.ndarray = inter / np.maximum(area + areas - inter, 1e-6)
    return result


class PlateDetector:
    """See the module docstring; ``threshold`` is the least plate score kept."""

    def __init__(self, model: Path, *, threshold: float = 0.5, threads: int = 1) -> None:
        self._session = open_session(model, threads=threads)
        self.threshold = threshold
        self._priors: dict[tuple[int, int], np.ndarray] = {}

    def detect(self, bgr: np.ndarray) -> list[PlateCandidate]:
        """Plates in ``bgr`` (H×W×3 uint8), best first."""
        height, width = bgr.shape[:2]
        tensor = np.ascontiguousarray((bgr.astype(np.float32) - _MEANS).transpose(2, 0, 1)[None])
        loc, conf, corners = self._session.run(None, {"image": tensor})
        priors = self._priors.get((height, width))
        if priors is None:
            priors = self._priors[(height, width)] = _priors(height, width)
        scores = conf[0][:, 1]
        keep = scores >= self.threshold
        if not keep.any():
            return []
        prior, offset, score = priors[keep], loc[0][keep], scores[keep]
        centre = prior[:, :2] + offset[:, :2] * 0.1 * prior[:, 2:]
        size = prior[:, 2:] * np.exp(offset[:, 2:] * 0.2)
        scale = np.array([width, height], dtype=np.float32)
        boxes = np.concatenate([(centre - size / 2) * scale, (centre + size / 2) * scale], 1)
        points = corners[0][keep].reshape(-1, 4, 2)
        points = (prior[:, None, :2] + points * 0.1 * prior[:, None, 2:]) * scale
        found: list[PlateCandidate] = []
        kept: list[np.ndarray] = []
        for index in np.argsort(-score):
            if kept and (_iou(boxes[index], np.array(kept)) > NMS_IOU).any():
                continue
            kept.append(boxes[index])
            x1, y1, x2, y2 = (float(v) for v in boxes[index])
            found.append(
                PlateCandidate(
                    (x1, y1, x2, y2), float(score[index]), points[index][_CORNER_ORDER].copy()
                )
            )
        return found
