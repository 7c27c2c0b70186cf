"""Frames' analysis: the motion gate, then the detector on the crop that holds the motion.

Shared by the worker processes and the benchmark. Boxes found in a crop are moved back to the
frame's pixels. Without a gate the whole frame is detected (the reference the gate is judged by).
:func:`analyse_batch` gates several frames (of several cameras), then detects in all the crops
in one :meth:`~vigil.analytics.detect.detector.Detector.detect_batch` call, for a GPU to batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from vigil.analytics.detect.boxes import Detection
from vigil.analytics.detect.detector import Detector
from vigil.analytics.frames.motion import MotionGate, Region
from vigil.analytics.frames.regions import Box, crop_for

__all__ = ["analyse", "analyse_batch", "detect_regions"]


def analyse(
    frame: np.ndarray, detector: Detector, gate: MotionGate | None
) -> tuple[list[Detection], bool]:
    """The objects in ``frame`` (H×W×3 RGB), and whether the gate skipped it (nothing moved)."""
    return analyse_batch([frame], detector, [gate])[0]


def analyse_batch(
    frames: Sequence[np.ndarray], detector: Detector, gates: Sequence[MotionGate | None]
) -> list[tuple[list[Detection], bool]]:
    """:func:`analyse` of each frame with its camera's gate, the detector run once for all."""
    crops: list[tuple[int, Box]] = []
    for k, (frame, gate) in enumerate(zip(frames, gates, strict=True)):
        height, width = frame.shape[:2]
        regions = [(0, 0, width, height)] if gate is None else gate.regions(frame)
        if regions:
            crops.append((k, crop_for(regions, (width, height), detector.size)))
    found = detector.detect_batch([_cut(frames[k], box) for k, box in crops])
    results: list[tuple[list[Detection], bool]] = [([], True) for _ in frames]
    for (k, box), objects in zip(crops, found, strict=True):
        results[k] = ([_moved(d, box[0], box[1]) for d in objects], False)
    return results


def detect_regions(frame: np.ndarray, detector: Detector, regions: list[Region]) -> list[Detection]:
    """The objects in the crop of ``frame`` that holds ``regions`` (the gate's), in frame pixels."""
    height, width = frame.shape[:2]
    box = crop_for(regions, (width, height), detector.size)
    return [_moved(d, box[0], box[1]) for d in detector.detect(_cut(frame, box))]


def _cut(frame: np.ndarray, box: Box) -> np.ndarray:
    x1, y1, x2, y2 = box
    if (x1, y1) == (0, 0) and (y2, x2) == frame.shape[:2]:
        return frame
    return np.ascontiguousarray(frame[y1:y2, x1:x2])


def _moved(detection: Detection, dx: int, dy: int) -> Detection:
    if not dx and not dy:
        return detection
    a, b, c, d = detection.box
    return replace(detection, box=(a + dx, b + dy, c + dx, d + dy))
