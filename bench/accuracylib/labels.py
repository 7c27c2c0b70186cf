"""The hand labels of vtest.avi as stored in ``tests/data/analytics/vtest_labels.json``.

The file holds, per labelled frame (its number in the source), the objects seen in it: ``id``
(the same object keeps its number across frames), ``label`` (a COCO name), ``box`` (x1, y1, x2,
y2 in source pixels) and, for objects no detector could be asked to find, ``"ignore": true``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from vigil.analytics.track.evaluate import IdentifiedBox, LabelledBox
from vigil.analytics.track.matching import match_boxes

__all__ = ["LABELS", "Label", "load_labels", "without_ignored"]

B = TypeVar("B", bound=LabelledBox)
LABELS = Path(__file__).resolve().parents[2] / "tests" / "data" / "analytics" / "vtest_labels.json"


@dataclass(frozen=True)
class Label:
    """One labelled object in one frame (an :class:`~vigil.analytics.track.evaluate.IdentifiedBox`
    with an ``ignore`` mark)."""

    identity: int
    label: str
    box: tuple[float, float, float, float]
    ignore: bool = False


def _label(item: dict[str, Any]) -> Label:
    x1, y1, x2, y2 = (float(v) for v in item["box"])
    if not (x1 < x2 and y1 < y2):
        raise ValueError(f"object {item['id']}: empty box {item['box']}")
    return Label(int(item["id"]), str(item["label"]), (x1, y1, x2, y2), bool(item.get("ignore")))


def load_labels(path: Path = LABELS) -> dict[int, list[Label]]:
    """The labelled frames, by frame number in increasing order."""
    stored = json.loads(path.read_text())
    frames = {int(k): [_label(item) for item in v] for k, v in stored["frames"].items()}
    return dict(sorted(frames.items()))


def without_ignored(
    labels: Sequence[Label], found: Sequence[B], min_iou: float = 0.5
) -> tuple[list[IdentifiedBox], list[B]]:
    """One frame's labels and output with the ignored objects taken out of both: the ignored
    labels, and the output boxes that match one of them (same label, IoU ≥ ``min_iou``) once the
    other labels have had the first choice. Such a box is neither a hit nor a false positive."""
    kept = [IdentifiedBox(x.identity, x.label, x.box) for x in labels if not x.ignore]
    ignored = [x for x in labels if x.ignore]
    first = match_boxes([x.box for x in kept], [b.box for b in found], min_iou, _same(kept, found))
    free = [found[j] for j in first.unmatched_b]
    second = match_boxes(
        [x.box for x in ignored], [b.box for b in free], min_iou, _same(ignored, free)
    )
    dropped = {id(free[j]) for _, j in second.pairs}
    return kept, [b for b in found if id(b) not in dropped]


def _same(a: Sequence[LabelledBox], b: Sequence[LabelledBox]) -> np.ndarray:
    return np.array([[x.label == y.label for y in b] for x in a], bool).reshape(len(a), len(b))
