"""Synthetic cars painted onto real road: a body of a known paint colour, shaded top to bottom
with a highlight along its shoulder, dark glass above, black tyres below and a shadow on the road;
the picture then goes through JPEG as the pipeline's crops do."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from vigil.analytics.live.evidence import jpeg

__all__ = ["painted_car"]

GLASS = (38, 46, 56)
TYRE = (18, 18, 20)


def _through_jpeg(rgb: np.ndarray) -> np.ndarray:
    """``rgb`` encoded as the pipeline encodes crops, and decoded."""
    picture = cv2.imdecode(np.frombuffer(jpeg(rgb), np.uint8), cv2.IMREAD_COLOR)
    assert picture is not None
    return cv2.cvtColor(picture, cv2.COLOR_BGR2RGB)


def _ellipse(
    picture: np.ndarray, centre: tuple[int, int], axes: tuple[int, int], fill: Sequence[float]
) -> None:
    cv2.ellipse(picture, centre, axes, 0, 0, 360, fill, -1)


def painted_car(
    road: np.ndarray,
    paint: tuple[int, int, int],
    box: tuple[int, int, int, int],
    *,
    seed: int = 0,
) -> np.ndarray:
    """``road`` (RGB) with a car of ``paint`` whose bounding box is ``box`` (x1, y1, x2, y2)."""
    x1, y1, x2, y2 = box
    width, height = x2 - x1, y2 - y1
    picture = road.astype(np.float32).copy()
    # The shadow on the road below and beside the car.
    shadow = np.zeros(picture.shape[:2], np.uint8)
    _ellipse(shadow, ((x1 + x2) // 2, y2 - height // 10), (width // 2 + 4, height // 6), (255,))
    picture[shadow > 0] *= 0.55
    body = np.zeros(picture.shape[:2], np.uint8)
    # The lower body (doors, bonnet, bumper) over the full width, the cabin narrower above it.
    cv2.rectangle(body, (x1, y1 + int(0.38 * height)), (x2 - 1, y1 + int(0.88 * height)), 255, -1)
    cabin = np.array(
        [
            (x1 + int(0.12 * width), y1 + int(0.40 * height)),
            (x1 + int(0.25 * width), y1),
            (x1 + int(0.72 * width), y1),
            (x1 + int(0.88 * width), y1 + int(0.40 * height)),
        ],
        np.int32,
    )
    cv2.fillPoly(body, [cabin], 255)
    rows = np.arange(picture.shape[0], dtype=np.float32)[:, None]
    light = np.clip(1.1 - 0.35 * (rows - y1) / height, 0.7, 1.1)  # lit from above
    coat = np.broadcast_to(np.array(paint, np.float32), picture.shape) * light[..., None]
    picture = np.where(body[..., None] > 0, coat, picture)
    # A highlight along the shoulder line and the glass of the cabin.
    shoulder = y1 + int(0.42 * height)
    picture[shoulder : shoulder + max(height // 30, 1), x1 + 2 : x2 - 2] = (235, 235, 235)
    glass = cabin + np.array([[4, 0], [3, 3], [-3, 3], [-4, 0]], np.int32)  # inside the pillars
    glass_mask = np.zeros_like(body)
    cv2.fillPoly(glass_mask, [glass], 255)
    picture[glass_mask > 0] = GLASS
    for centre in (x1 + int(0.2 * width), x1 + int(0.8 * width)):
        _ellipse(picture, (centre, y1 + int(0.86 * height)), (width // 9, height // 7), TYRE)
    noise = np.random.default_rng(seed).normal(0.0, 4.0, picture.shape)
    return _through_jpeg(np.clip(picture + noise, 0, 255).astype(np.uint8))
