"""Detections and greedy non-maximum suppression, per class, in numpy."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Detection", "iou_matrix", "nms"]


@dataclass(frozen=True)
class Detection:
    """One detected object: its COCO label, score, and box (x1, y1, x2, y2) in source pixels."""

    label: str
    score: float
    box: tuple[float, float, float, float]


def iou_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Intersection over union of every box of ``a`` (N×4, x1 y1 x2 y2) with every box of ``b``."""
    top_left = np.maximum(a[:, None, :2], b[None, :, :2])
    bottom_right = np.minimum(a[:, None, 2:], b[None, :, 2:])
    overlap = np.clip(bottom_right - top_left, 0, None).prod(axis=2)
    area_a = (a[:, 2:] - a[:, :2]).clip(0, None).prod(axis=1)
    area_b = (b[:, 2:] - b[:, :2]).clip(0, None).prod(axis=1)
    union = area_a[:, None] + area_b[None, :] - overlap
    return np.where(union > 0, overlap / np.where(union > 0, union, 1), 0.0)


def nms(boxes: np.ndarray, scores: np.ndarray, classes: np.ndarray, iou: float) -> np.ndarray:
    """Indices of the boxes kept, best score first: a box is dropped when it overlaps a better box
    of the same class by more than ``iou``."""
    order = np.argsort(-scores, kind="stable")
    kept: list[int] = []
    for index in order:
        same = [k for k in kept if classes[k] == classes[index]]
        if same and iou_matrix(boxes[index : index + 1], boxes[same]).max() > iou:
            continue
        kept.append(int(index))
    return np.array(kept, dtype=np.int64)
