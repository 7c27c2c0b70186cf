"""One frame's analysis: the motion gate, then the detector on the crop that holds the motion.

Shared by the worker processes and the benchmark. Boxes found in the crop are moved back to the
frame's pixels. Without a gate the whole frame is detected (the reference the gate is judged by).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from vigil.analytics.detect.boxes import Detection
from vigil.analytics.detect.detector import Detector
from vigil.analytics.frames.motion import MotionGate, Region
from vigil.analytics.frames.regions import crop_for

__all__ = ["analyse", "detect_regions"]


def analyse(
    frame: np.ndarray, detector: Detector, gate: MotionGate | None
) -> tuple[list[Detection], bool]:
    """The objects in ``frame`` (H×W×3 RGB), and whether the gate skipped it (nothing moved)."""
    if gate is None:
        return detector.detect(frame), False
    regions = gate.regions(frame)
    if not regions:
        return [], True
    return detect_regions(frame, detector, regions), False


def detect_regions(frame: np.ndarray, detector: Detector, regions: list[Region]) -> list[Detection]:
    """The objects in the crop of ``frame`` that holds ``regions`` (the gate's), in frame pixels."""
    height, width = frame.shape[:2]
    x1, y1, x2, y2 = crop_for(regions, (width, height), detector.size)
    if (x1, y1, x2, y2) == (0, 0, width, height):
        return detector.detect(frame)
    found = detector.detect(np.ascontiguousarray(frame[y1:y2, x1:x2]))
    return [_moved(d, x1, y1) for d in found]


def _moved(detection: Detection, dx: int, dy: int) -> Detection:
    a, b, c, d = detection.box
    return replace(detection, box=(a + dx, b + dy, c + dx, d + dy))
