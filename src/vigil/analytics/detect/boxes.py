"""Detections, their overlaps, and greedy non-maximum suppression per class (OpenCV's)."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
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
    of the same class by more than ``iou``. (OpenCV's ``NMSBoxesBatched``, given the boxes as x, y,
    width, height; it drops boxes scored 0 or less.)"""
    if not len(boxes):
        return np.zeros(0, np.int64)
    rects = np.concatenate([boxes[:, :2], boxes[:, 2:] - boxes[:, :2]], axis=1).tolist()
    labels = np.asarray(classes, np.int64).tolist()
    kept = cv2.dnn.NMSBoxesBatched(rects, np.asarray(scores, np.float64).tolist(), labels, 0.0, iou)
    return np.asarray(kept, np.int64).reshape(-1)
