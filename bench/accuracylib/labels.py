"""The hand labels of vtest.avi as stored in ``tests/data/analytics/vtest_labels.json``.

The file holds, per labelled frame (its number in the source), the objects seen in it: ``id``
(the same object keeps its number across frames), ``label`` (a COCO name), ``box`` (x1, y1, x2,
y2 in source pixels) and, for objects no detector could be asked to find, ``"ignore": true``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["LABELS", "Label", "load_labels"]

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
