"""YOLO-family outputs decoded into detections: the layouts of YOLOv5 and YOLOv8 ONNX exports.

A user's own ONNX detector gives one output of one of two layouts, told apart by which axis is the
shorter (a detector has more candidate boxes than classes):

- YOLOv8 (and v9/v11): ``[1, 4 + classes, boxes]``, rows centre x, centre y, width, height, then
  one score per class (already sigmoided, no objectness);
- YOLOv5 (and v7): ``[1, boxes, 5 + classes]``, columns centre x, centre y, width, height,
  objectness, then class probabilities; a box's score is objectness × class probability.

Boxes are in the model's input pixels; with the letterbox's scale
(:func:`~vigil.analytics.detect.nanodet.letterbox`) they go back to source pixels, then through
per-class NMS. Any other shape is an :class:`UnsupportedLayoutError` naming it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vigil.analytics.detect.boxes import Detection, nms
from vigil.analytics.detect.coco import COCO_LABELS

__all__ = ["UnsupportedLayoutError", "YoloDecoder", "yolo_layout"]


class UnsupportedLayoutError(ValueError):
    """The model's output is neither YOLOv5's nor YOLOv8's layout."""


def yolo_layout(shape: tuple[int, ...]) -> str:
    """``"v8"`` or ``"v5"`` for an output of ``shape``; an :class:`UnsupportedLayoutError` else."""
    if len(shape) != 3 or shape[0] != 1:
        raise UnsupportedLayoutError(
            f"output shape {list(shape)}: expected [1, 4+classes, boxes] (YOLOv8) "
            "or [1, boxes, 5+classes] (YOLOv5)"
        )
    rows, columns = shape[1], shape[2]
    if rows < columns and rows >= 5:
        return "v8"
    if columns < rows and columns >= 6:
        return "v5"
    raise UnsupportedLayoutError(
        f"output shape {list(shape)}: cannot tell YOLOv8's [1, 4+classes, boxes] "
        "from YOLOv5's [1, boxes, 5+classes]"
    )


@dataclass(frozen=True)
class YoloDecoder:
    """Turns one YOLO output (batch of one) into detections in source pixels."""

    score_threshold: float = 0.35
    iou_threshold: float = 0.6
    max_detections: int = 100

    def decode(
        self, output: np.ndarray, scale: float = 1.0, source: tuple[int, int] = (0, 0)
    ) -> list[Detection]:
        """Detections from ``output``; ``scale`` is the letterbox's, ``source`` (width, height)
        clips the boxes when given."""
        if yolo_layout(output.shape) == "v8":
            rows = output[0].T
            class_scores = rows[:, 4:]
        else:
            rows = output[0]
            class_scores = rows[:, 5:] * rows[:, 4:5]
        best = class_scores.argmax(axis=1)
        score = class_scores[np.arange(len(best)), best]
        chosen = np.flatnonzero(score >= self.score_threshold)
        centre, size = rows[chosen, :2], rows[chosen, 2:4]
        boxes = np.concatenate([centre - size / 2, centre + size / 2], axis=1) / scale
        if source != (0, 0):
            boxes = boxes.clip(0, [source[0], source[1], source[0], source[1]])
        kept = nms(boxes, score[chosen], best[chosen], self.iou_threshold)[: self.max_detections]
        labels = COCO_LABELS if class_scores.shape[1] == len(COCO_LABELS) else None
        return [_detection(boxes[k], score[chosen][k], int(best[chosen][k]), labels) for k in kept]


def _detection(
    box: np.ndarray, score: np.floating, label: int, labels: tuple[str, ...] | None
) -> Detection:
    name = labels[label] if labels is not None else f"class{label}"
    x1, y1, x2, y2 = (round(float(v), 1) for v in box)
    return Detection(name, round(float(score), 4), (x1, y1, x2, y2))
