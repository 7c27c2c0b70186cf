"""Real pixels for the attribute tests: frames of ``vtest.avi`` (decoded once per process), the
hand-labelled boxes of its people and parked cars, and crops cut as the live pipeline cuts them."""

from __future__ import annotations

import functools
import json

import av
import numpy as np

from tests.unit.sim.footage import ROOT, VTEST
from vigil.analytics.attributes import PixelBox
from vigil.analytics.live.evidence import framed

__all__ = ["FRAMES", "ROAD", "box_of", "frame", "object_crop"]

LABELS = ROOT / "tests" / "data" / "analytics" / "vtest_labels.json"
#: The frames the tests read (all hand-labelled).
FRAMES = (200, 230, 260, 290)
#: A stretch of empty road in frame 290 (rows, columns): asphalt with its paint and patches.
ROAD = (slice(250, 385), slice(540, 700))


@functools.cache
def _frames() -> dict[int, np.ndarray]:
    out: dict[int, np.ndarray] = {}
    with av.open(str(VTEST)) as container:
        for index, picture in enumerate(container.decode(video=0)):
            if index in FRAMES:
                out[index] = picture.to_ndarray(format="rgb24")
            if index >= max(FRAMES):
                break
    return out


def frame(index: int) -> np.ndarray:
    """Frame ``index`` of vtest.avi as RGB (one of :data:`FRAMES`)."""
    return _frames()[index]


@functools.cache
def _labels() -> dict[str, list[dict[str, object]]]:
    frames: dict[str, list[dict[str, object]]] = json.loads(LABELS.read_text())["frames"]
    return frames


def box_of(index: int, object_id: int) -> tuple[float, float, float, float]:
    """The hand-labelled box (pixels) of object ``object_id`` in frame ``index``."""
    [found] = [o for o in _labels()[str(index)] if o["id"] == object_id]
    box = found["box"]
    assert isinstance(box, list)
    x1, y1, x2, y2 = (float(v) for v in box)
    return x1, y1, x2, y2


def object_crop(index: int, object_id: int) -> tuple[np.ndarray, PixelBox]:
    """The crop the live pipeline keeps of the labelled object, and its box in the crop."""
    found = framed(frame(index), box_of(index, object_id))
    assert found is not None
    return found
