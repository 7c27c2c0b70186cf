"""One-to-one matching of two sets of boxes by overlap, shared by the tracker and its evaluation.

The assignment maximises the summed IoU over the allowed pairs (``scipy``'s
``linear_sum_assignment``, the Hungarian method's modern form); a pair is allowed when its IoU
reaches the threshold and the caller's mask allows it (the tracker's class rule). Pairs below the
threshold weigh zero, so they never displace an allowed pair and are dropped afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

from vigil.analytics.detect.boxes import iou_matrix

__all__ = ["Match", "as_array", "match_boxes"]

Box = tuple[float, float, float, float]


def as_array(boxes: Sequence[Box]) -> np.ndarray:
    """Boxes as an N×4 float array (4 columns even when empty)."""
    return np.asarray(boxes, dtype=np.float64).reshape(-1, 4)


class Match:
    """The result of :func:`match_boxes`: matched index pairs and the leftovers on each side."""

    __slots__ = ("iou", "pairs", "unmatched_a", "unmatched_b")

    def __init__(
        self, pairs: list[tuple[int, int]], iou: list[float], count_a: int, count_b: int
    ) -> None:
        self.pairs = pairs
        self.iou = iou
        taken_a = {a for a, _ in pairs}
        taken_b = {b for _, b in pairs}
        self.unmatched_a = [a for a in range(count_a) if a not in taken_a]
        self.unmatched_b = [b for b in range(count_b) if b not in taken_b]


def match_boxes(
    a: Sequence[Box], b: Sequence[Box], min_iou: float, allowed: np.ndarray | None = None
) -> Match:
    """Pairs ``(i, j)`` of ``a[i]`` and ``b[j]`` with IoU ≥ ``min_iou`` (and ``allowed[i, j]``
    when given) that maximise the summed IoU; each box is in at most one pair."""
    if not a or not b:
        return Match([], [], len(a), len(b))
    overlap = iou_matrix(as_array(a), as_array(b))
    valid = overlap >= min_iou
    if allowed is not None:
        valid &= allowed
    weight = np.where(valid, overlap, 0.0)
    rows, cols = linear_sum_assignment(weight, maximize=True)
    pairs = [(int(i), int(j)) for i, j in zip(rows, cols, strict=True) if valid[i, j]]
    return Match(pairs, [float(overlap[i, j]) for i, j in pairs], len(a), len(b))
