"""NanoDet's input and output: letterboxing a frame, and decoding the six outputs into detections.

The packaged NanoDet (416², COCO) takes NCHW RGB/255 and gives, for each of its strides 8, 16 and
32, one output of class scores (anchors × 80, already sigmoided) and one of box distributions
(anchors × 4 × 11: for the left, top, right and bottom distances, a softmax over 0–10 strides,
NanoDet's ``reg_max`` 10). Anchors are the cell centres, row by row. A distance is the
distribution's expectation times the stride; boxes then go through per-class NMS.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import cv2
import numpy as np

from vigil.analytics.detect.boxes import Detection, nms
from vigil.analytics.detect.coco import COCO_LABELS

__all__ = ["NanoDetDecoder", "letterbox"]

_BINS = 11  # reg_max + 1


def letterbox(frame: np.ndarray, size: int, rows: int | None = None) -> tuple[np.ndarray, float]:
    """``frame`` (H×W×3 RGB, uint8) scaled to fit ``size``² at the top left of a black canvas
    ``rows`` high (default ``size``; fewer cut the canvas's bottom), as a 1×3×rows×size float32
    tensor of RGB/255; and the scale applied. Scaling is bilinear, as NanoDet's own preprocessing
    (and TF.js's ``resizeBilinear`` in the library that packages it) does."""
    height, width = frame.shape[:2]
    scale = size / max(height, width)
    scaled = (min(size, round(width * scale)), min(size, round(height * scale)))
    resized = frame
    if scaled != (width, height):
        resized = cv2.resize(frame, scaled, interpolation=cv2.INTER_LINEAR)
    tensor = np.zeros((1, 3, size if rows is None else rows, size), np.float32)
    tensor[0, :, : scaled[1], : scaled[0]] = resized[: tensor.shape[2]].transpose(2, 0, 1)
    tensor /= np.float32(255)
    return tensor, scale


@dataclass(frozen=True)
class NanoDetDecoder:
    """Turns NanoDet's outputs into detections in source pixels."""

    size: int = 416
    strides: tuple[int, ...] = (8, 16, 32)
    score_threshold: float = 0.35
    iou_threshold: float = 0.6
    max_detections: int = 100

    def decode(
        self,
        outputs: Mapping[str, np.ndarray],
        scale: float = 1.0,
        source: tuple[int, int] = (0, 0),
        rows: int | None = None,
    ) -> list[Detection]:
        """Detections from the model's outputs by name; ``scale`` is :func:`letterbox`'s,
        ``source`` (width, height) clips the boxes when given, and ``rows`` is the input's height
        when shorter than ``size`` (a variant's: its anchors are the square's first rows)."""
        boxes, scores, classes = [], [], []
        by_shape = {value.shape[1:]: value[0] for value in outputs.values()}
        height = self.size if rows is None else rows
        for stride in self.strides:
            anchors = math.ceil(height / stride) * math.ceil(self.size / stride)
            level = self._level(by_shape[(anchors, 80)], by_shape[(anchors, 4 * _BINS)], stride)
            boxes.append(level[0])
            scores.append(level[1])
            classes.append(level[2])
        all_boxes = np.concatenate(boxes) / scale
        if source != (0, 0):
            all_boxes = all_boxes.clip(0, [source[0], source[1], source[0], source[1]])
        all_scores, all_classes = np.concatenate(scores), np.concatenate(classes)
        kept = nms(all_boxes, all_scores, all_classes, self.iou_threshold)[: self.max_detections]
        return [_detection(all_boxes[k], all_scores[k], all_classes[k]) for k in kept]

    def _level(
        self, class_scores: np.ndarray, distributions: np.ndarray, stride: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Boxes (input pixels), scores and classes of one stride's anchors above the threshold."""
        best = class_scores.argmax(axis=1)
        score = class_scores[np.arange(len(best)), best]
        chosen = np.flatnonzero(score >= self.score_threshold)
        cells = math.ceil(self.size / stride)
        centres = (np.stack([chosen % cells, chosen // cells], axis=1) + 0.5) * stride
        logits = distributions[chosen].reshape(-1, 4, _BINS)
        weights = np.exp(logits - logits.max(axis=2, keepdims=True))
        weights /= weights.sum(axis=2, keepdims=True)
        distances = (weights * np.arange(_BINS)).sum(axis=2) * stride
        box = np.concatenate([centres - distances[:, :2], centres + distances[:, 2:]], axis=1)
        return box, score[chosen], best[chosen]


def _detection(box: np.ndarray, score: np.floating, label: np.integer) -> Detection:
    x1, y1, x2, y2 = (round(float(v), 1) for v in box)
    return Detection(COCO_LABELS[int(label)], round(float(score), 4), (x1, y1, x2, y2))
