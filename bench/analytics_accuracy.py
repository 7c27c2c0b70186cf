"""Analytics accuracy on vtest.avi against hand labels: detection precision and recall per class,
and tracking's CLEAR-MOT (MOTA, ID switches), with moving blobs (MOG2) as the reference.

The labels (``tests/data/analytics/vtest_labels.json``, made with ``tools/label_frames.py``) box
every person and vehicle in 50 consecutive analysis frames, frames 200 to 298 of the 10 fps clip
sampled at the product's 5 fps. The clip is analysed as the product does, from its first frame
at 5 fps, with the product's settings, none of them tuned on these labels: the packaged NanoDet
(416 input, fed 416×320 for this 4:3 picture; score ≥ 0.35; int8, the default on the CPU, with
ranges calibrated on frames outside the labelled stretch), once on the whole frame and once
behind the motion gate as the analysis worker runs it, and in float on the whole frame (what int8
costs in accuracy); and ByteTracker with its default settings on each, one update per analysis
frame. Only the labelled frames are scored. The reference is
MOG2 blobs (``accuracylib.blobs``): it has no classes, so its boxes are all called people, and it
cannot track; and as the labels were drafted from the same blobs (then corrected by eye), its
figures are flattered: they say how much of the draft survived. Labels marked ignore (less than
half of the object in view) are taken out, with the output boxes that match them
(``accuracylib.labels.without_ignored``). A box matches at IoU ≥ 0.5, per class; ``vehicle``
pools car, truck and bus on both sides (the detector may call the van either), as the tracker's
class groups do. Tracking is scored over every labelled object and over people alone.

    python bench/analytics_accuracy.py
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from accuracylib.blobs import moving_blobs
from accuracylib.labels import LABELS, Label, load_labels, without_ignored
from vigil.analytics.detect.boxes import Detection
from vigil.analytics.detect.detector import Detector
from vigil.analytics.frames.analysis import analyse
from vigil.analytics.frames.motion import MotionGate
from vigil.analytics.frames.sampler import FrameSampler
from vigil.analytics.track import ByteTracker
from vigil.analytics.track.evaluate import (
    DetectionScores,
    IdentifiedBox,
    LabelledBox,
    MotScores,
    clear_mot,
    detection_scores,
    identified,
)

FOOTAGE = Path(__file__).resolve().parents[1] / "footage" / "vtest.avi"
FPS = 5.0
SCORE = 0.35  # the Detector's default, as the analysis worker and `vigil analytics detect` use it
VEHICLES = frozenset({"car", "truck", "bus"})
SCORED = ("person", "vehicle", "car", "truck", "bus", "bicycle", "motorcycle")
Frames = dict[int, list[Any]]


def run_nanodet(
    labels: dict[int, list[Label]], data_dir: Path
) -> tuple[dict[str, Frames], dict[str, Frames]]:
    """NanoDet whole-frame and gated, each followed by a ByteTracker: per labelled frame, the
    detections and the tracker's boxes."""
    detector = Detector(data_dir=data_dir, score_threshold=SCORE)
    in_float = Detector(data_dir=data_dir, score_threshold=SCORE, precision="fp32")
    gate = MotionGate()
    trackers = {name: ByteTracker() for name in ("nanodet", "nanodet_gated", "nanodet_fp32")}
    found: dict[str, Frames] = {name: {} for name in trackers}
    tracked: dict[str, Frames] = {name: {} for name in trackers}
    last = max(labels)
    for step, frame in enumerate(FrameSampler(FOOTAGE, fps=FPS)):
        outputs = {
            "nanodet": detector.detect(frame.image),
            "nanodet_gated": analyse(frame.image, detector, gate)[0],
            "nanodet_fp32": in_float.detect(frame.image),
        }
        for name, detections in outputs.items():
            update = trackers[name].update(float(step), detections)
            if frame.index in labels:
                found[name][frame.index] = detections
                tracked[name][frame.index] = identified(update)
        if frame.index >= last:
            break
    missing = set(labels) - set(found["nanodet"])
    if missing:
        raise SystemExit(f"labelled frames {sorted(missing)} are not analysis frames at {FPS} fps")
    return found, tracked


def pooled(boxes: Sequence[Any]) -> list[Any]:
    """Vehicles' labels pooled as ``vehicle``; other boxes as they are."""
    return [replace(b, label="vehicle") if b.label in VEHICLES else b for b in boxes]


def scored(
    labels: dict[int, list[Label]], output: Frames
) -> tuple[list[list[IdentifiedBox]], list[list[LabelledBox]]]:
    """Labels and output per labelled frame, in order, the ignored objects taken out."""
    truth: list[list[IdentifiedBox]] = []
    kept: list[list[LabelledBox]] = []
    for index, frame in labels.items():
        a, b = without_ignored(frame, output[index])
        truth.append(a)
        kept.append(b)
    return truth, kept


def detection(labels: dict[int, list[Label]], output: Frames) -> dict[str, DetectionScores]:
    """Per-class scores, plus ``vehicle`` (the vehicle classes pooled)."""
    truth, kept = scored(labels, output)
    scores = detection_scores(truth, kept)
    vehicles = detection_scores([pooled(t) for t in truth], [pooled(k) for k in kept])
    if "vehicle" in vehicles:
        scores["vehicle"] = vehicles["vehicle"]
    return scores


def tracking(labels: dict[int, list[Label]], output: Frames) -> dict[str, MotScores]:
    """CLEAR-MOT over every labelled object (vehicles pooled), and over people alone."""
    truth, kept = scored(labels, output)
    pooled_truth, pooled_kept = [pooled(t) for t in truth], [pooled(k) for k in kept]
    return {
        "all": clear_mot(pooled_truth, pooled_kept),
        "person": clear_mot(pooled_truth, pooled_kept, label="person"),
    }


def main() -> None:
    if not FOOTAGE.is_file():
        print(f"bench/analytics_accuracy: {FOOTAGE} is missing: run `make install`")
        sys.exit(1)
    labels = load_labels()
    with tempfile.TemporaryDirectory() as scratch:
        found, tracked = run_nanodet(labels, Path(scratch))
    blobs: Frames = {
        index: [Detection(b.label, 1.0, b.box) for b in boxes]
        for index, _, boxes in moving_blobs(FOOTAGE, frozenset(labels))
    }
    found["mog2"] = blobs
    detections = {name: detection(labels, output) for name, output in found.items()}
    tracks = {name: tracking(labels, output) for name, output in tracked.items()}
    unscored = sorted({d.label for frame in found["nanodet"].values() for d in frame} - set(SCORED))
    report(labels, detections, tracks, unscored)


def report(
    labels: dict[int, list[Label]],
    detections: dict[str, dict[str, DetectionScores]],
    tracks: dict[str, dict[str, MotScores]],
    unscored: list[str],
) -> None:
    objects = [x for frame in labels.values() for x in frame]
    frames = sorted(labels)
    print(
        f"vtest.avi frames {frames[0]}-{frames[-1]} at {FPS:.0f} fps: {len(frames)} labelled "
        f"frames, {len(objects)} labelled objects ({sum(x.ignore for x in objects)} ignored)"
    )
    print(
        f"NanoDet: packaged, 416 input (416×320 for 4:3), score ≥ {SCORE}, int8 "
        f"(nanodet_fp32: float); match IoU ≥ 0.5"
    )
    print(f"{'detector':<15}{'class':<10}{'TP':>6}{'FP':>6}{'FN':>6}{'precision':>11}{'recall':>8}")
    for name, scores in detections.items():
        for label in SCORED:
            if label in scores:
                s = scores[label]
                print(
                    f"{name:<15}{label:<10}{s.true_positives:>6}{s.false_positives:>6}"
                    f"{s.misses:>6}{s.precision:>11.3f}{s.recall:>8.3f}"
                )
    print("  (MOG2 has no classes: all its boxes are called 'person')")
    if unscored:
        print(
            f"  (classes NanoDet found that were not labelled, not scored: {', '.join(unscored)})"
        )
    print(
        f"{'tracker':<27}{'GT':>5}{'match':>7}{'FN':>5}{'FP':>5}{'IDSW':>6}{'MOTA':>7}{'MOTP':>7}"
    )
    for name, kinds in tracks.items():
        for kind, m in kinds.items():
            print(
                f"{'ByteTracker/' + name + ' ' + kind:<34}{m.truth:>5}{m.matches:>7}{m.misses:>5}"
                f"{m.false_positives:>5}{m.id_switches:>6}{m.mota:>7.3f}{m.motp:>7.3f}"
            )
    print(json.dumps(figures(labels, detections, tracks)))


def figures(
    labels: dict[int, list[Label]],
    detections: dict[str, dict[str, DetectionScores]],
    tracks: dict[str, dict[str, MotScores]],
) -> dict[str, Any]:
    def rate(value: float) -> float | None:
        return None if value != value else round(value, 4)

    return {
        "footage": FOOTAGE.name,
        "labels": LABELS.name,
        "frames": sorted(labels),
        "detector": {"model": "nanodet", "input": 416, "score_threshold": SCORE},
        "detection": {
            name: {
                label: {
                    "tp": s.true_positives,
                    "fp": s.false_positives,
                    "fn": s.misses,
                    "precision": rate(s.precision),
                    "recall": rate(s.recall),
                }
                for label, s in scores.items()
                if label in SCORED
            }
            for name, scores in detections.items()
        },
        "tracking": {
            name: {
                kind: {
                    "truth": m.truth,
                    "matches": m.matches,
                    "misses": m.misses,
                    "false_positives": m.false_positives,
                    "id_switches": m.id_switches,
                    "mota": rate(m.mota),
                    "motp": rate(m.motp),
                }
                for kind, m in kinds.items()
            }
            for name, kinds in tracks.items()
        },
    }


if __name__ == "__main__":
    main()
