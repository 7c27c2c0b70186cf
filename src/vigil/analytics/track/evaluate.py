"""Scoring a tracker and a detector against hand labels: CLEAR-MOT and per-class precision/recall.

CLEAR-MOT (Bernardin and Stiefelhagen, 2008), with boxes and IoU as the overlap measure. In each
frame the hand-labelled objects are matched one to one with the tracker's boxes of the same
label at IoU ≥ 0.5: first, a pair matched in the previous frame is kept while its IoU still
qualifies (so a better-overlapping newcomer does not count as a switch); the rest are matched by
the Hungarian method. A labelled object left unmatched is a miss (FN), an output box left
unmatched a false positive (FP), and a match whose track differs from the track that object was
last matched to, in any earlier frame, an ID switch (IDSW). Then

    MOTA = 1 − (FN + FP + IDSW) / GT        (GT: labelled objects, summed over frames)
    MOTP = mean IoU of the matches          (higher is better; py-motmetrics reports 1 − this)

Detection precision and recall ignore identities: per frame, same-label boxes are matched at
IoU ≥ 0.5 by the Hungarian method, and counts are kept per label (the issue asks for people's
precision ≥ 0.8 and recall ≥ 0.7).

Frames are given as two equally long sequences (labels, output), one list of boxes per frame.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from vigil.analytics.detect.boxes import iou_matrix
from vigil.analytics.track.events import TrackUpdate
from vigil.analytics.track.matching import as_array, match_boxes

__all__ = [
    "DetectionScores",
    "IdentifiedBox",
    "LabelledBox",
    "MotScores",
    "clear_mot",
    "detection_scores",
    "identified",
]

Box = tuple[float, float, float, float]


class LabelledBox(Protocol):
    """Anything with a label and a box: a detection, a hand label, a tracked object."""

    @property
    def label(self) -> str: ...

    @property
    def box(self) -> Box: ...


@dataclass(frozen=True)
class IdentifiedBox:
    """A box with its object's identity: a hand label's object number, or a track's ID."""

    identity: int
    label: str
    box: Box


def identified(update: TrackUpdate) -> list[IdentifiedBox]:
    """A tracker's frame as identified boxes (the filtered boxes, as the tracker reports them)."""
    return [IdentifiedBox(t.track_id, t.label, t.box) for t in update.tracks]


@dataclass(frozen=True)
class MotScores:
    """CLEAR-MOT counts over a clip and the measures made of them."""

    frames: int
    truth: int
    matches: int
    misses: int
    false_positives: int
    id_switches: int
    iou_sum: float

    @property
    def mota(self) -> float:
        """1 − (FN + FP + IDSW) / GT; NaN without labelled objects. May be negative."""
        errors = self.misses + self.false_positives + self.id_switches
        return 1 - errors / self.truth if self.truth else math.nan

    @property
    def motp(self) -> float:
        """The matches' mean IoU; NaN without matches."""
        return self.iou_sum / self.matches if self.matches else math.nan


@dataclass(frozen=True)
class DetectionScores:
    """One label's detection counts at the IoU threshold."""

    label: str
    true_positives: int
    false_positives: int
    misses: int

    @property
    def precision(self) -> float:
        """TP / (TP + FP); NaN when nothing was detected."""
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else math.nan

    @property
    def recall(self) -> float:
        """TP / (TP + FN); NaN when nothing was labelled."""
        labelled = self.true_positives + self.misses
        return self.true_positives / labelled if labelled else math.nan


def _same_label(a: Sequence[LabelledBox], b: Sequence[LabelledBox]) -> np.ndarray:
    same = [[x.label == y.label for y in b] for x in a]
    return np.array(same, dtype=bool).reshape(len(a), len(b))


def _overlap(a: LabelledBox, b: LabelledBox) -> float:
    """The IoU of two boxes of the same label; 0 across labels."""
    if a.label != b.label:
        return 0.0
    return float(iou_matrix(as_array([a.box]), as_array([b.box]))[0, 0])


def _frame_pairs(
    truth: Sequence[IdentifiedBox],
    output: Sequence[IdentifiedBox],
    previous: dict[int, int],
    min_iou: float,
) -> list[tuple[int, int, float]]:
    """One frame's matches ``(truth index, output index, IoU)``: last frame's pairs that still
    qualify, then the Hungarian method on the rest."""
    truth_at = {box.identity: i for i, box in enumerate(truth)}
    output_at = {box.identity: j for j, box in enumerate(output)}
    if len(truth_at) < len(truth) or len(output_at) < len(output):
        raise ValueError("an identity appears twice in one frame")
    pairs = []
    for truth_id, output_id in previous.items():
        if truth_id in truth_at and output_id in output_at:
            i, j = truth_at[truth_id], output_at[output_id]
            iou = _overlap(truth[i], output[j])
            if iou >= min_iou:
                pairs.append((i, j, iou))
    rest_truth = [i for i in range(len(truth)) if i not in {p[0] for p in pairs}]
    rest_output = [j for j in range(len(output)) if j not in {p[1] for p in pairs}]
    rest = match_boxes(
        [truth[i].box for i in rest_truth],
        [output[j].box for j in rest_output],
        min_iou,
        _same_label([truth[i] for i in rest_truth], [output[j] for j in rest_output]),
    )
    for (a, b), iou in zip(rest.pairs, rest.iou, strict=True):
        pairs.append((rest_truth[a], rest_output[b], iou))
    return pairs


def clear_mot(
    truth: Sequence[Sequence[IdentifiedBox]],
    output: Sequence[Sequence[IdentifiedBox]],
    *,
    min_iou: float = 0.5,
    label: str | None = None,
) -> MotScores:
    """CLEAR-MOT over a clip; ``label`` restricts both sides to one class."""
    if len(truth) != len(output):
        raise ValueError(f"{len(truth)} labelled frames but {len(output)} output frames")
    previous: dict[int, int] = {}
    last_output: dict[int, int] = {}
    counts: Counter[str] = Counter()
    iou_sum = 0.0
    for labelled, found in zip(truth, output, strict=True):
        labelled = [b for b in labelled if label is None or b.label == label]
        found = [b for b in found if label is None or b.label == label]
        pairs = _frame_pairs(labelled, found, previous, min_iou)
        previous = {labelled[i].identity: found[j].identity for i, j, _ in pairs}
        for truth_id, output_id in previous.items():
            if last_output.get(truth_id, output_id) != output_id:
                counts["switches"] += 1
            last_output[truth_id] = output_id
        counts["truth"] += len(labelled)
        counts["matches"] += len(pairs)
        counts["misses"] += len(labelled) - len(pairs)
        counts["false_positives"] += len(found) - len(pairs)
        iou_sum += sum(iou for _, _, iou in pairs)
    return MotScores(
        frames=len(truth),
        truth=counts["truth"],
        matches=counts["matches"],
        misses=counts["misses"],
        false_positives=counts["false_positives"],
        id_switches=counts["switches"],
        iou_sum=iou_sum,
    )


def detection_scores(
    truth: Sequence[Sequence[LabelledBox]],
    output: Sequence[Sequence[LabelledBox]],
    *,
    min_iou: float = 0.5,
) -> dict[str, DetectionScores]:
    """Per-label detection counts over a clip, labels sorted; identities are ignored."""
    if len(truth) != len(output):
        raise ValueError(f"{len(truth)} labelled frames but {len(output)} output frames")
    hits: Counter[str] = Counter()
    extra: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    for labelled, found in zip(truth, output, strict=True):
        match = match_boxes(
            [b.box for b in labelled], [b.box for b in found], min_iou, _same_label(labelled, found)
        )
        hits.update(labelled[i].label for i, _ in match.pairs)
        missed.update(labelled[i].label for i in match.unmatched_a)
        extra.update(found[j].label for j in match.unmatched_b)
    labels = sorted(set(hits) | set(extra) | set(missed))
    return {name: DetectionScores(name, hits[name], extra[name], missed[name]) for name in labels}
