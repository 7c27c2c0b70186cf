"""CLEAR-MOT and detection precision/recall on hand-made frames whose counts are worked out here."""

from __future__ import annotations

import itertools
import math
import random

import numpy as np
import pytest

from vigil.analytics.detect.boxes import Detection, iou_matrix
from vigil.analytics.track.evaluate import (
    IdentifiedBox,
    clear_mot,
    detection_scores,
)
from vigil.analytics.track.matching import as_array, match_boxes

P = (0.0, 0.0, 10.0, 10.0)
Q = (100.0, 0.0, 110.0, 10.0)
FAR = (500.0, 500.0, 510.0, 510.0)
P_60 = (0.0, 0.0, 10.0, 6.0)  # IoU with P: 60 / 100 = 0.6
P_40 = (0.0, 0.0, 10.0, 4.0)  # IoU with P: 40 / 100 = 0.4, under the threshold


def person(identity: int, box: tuple[float, float, float, float]) -> IdentifiedBox:
    return IdentifiedBox(identity, "person", box)


def test_misses_false_positives_and_a_switch_give_the_expected_mota_and_motp() -> None:
    truth = [[person(1, P), person(2, Q)]] * 4
    output = [
        [person(10, P_60), person(20, Q)],  # 2 matches (IoU 0.6 and 1)
        [person(10, P)],  # 1 match; object 2 missed: FN 1
        [person(10, P), person(20, Q), person(30, FAR)],  # 2 matches; 30 matches nothing: FP 1
        [person(30, P), person(20, Q)],  # 2 matches; object 1 was track 10, now 30: IDSW 1
    ]
    scores = clear_mot(truth, output)
    # GT 8, matches 7, FN 1, FP 1, IDSW 1: MOTA = 1 − 3/8; MOTP = (6 × 1 + 0.6) / 7.
    assert (scores.truth, scores.matches, scores.misses) == (8, 7, 1)
    assert (scores.false_positives, scores.id_switches) == (1, 1)
    assert scores.mota == pytest.approx(0.625)
    assert scores.motp == pytest.approx(6.6 / 7)


def test_an_overlap_under_the_threshold_is_a_miss_and_a_false_positive() -> None:
    scores = clear_mot([[person(1, P)]], [[person(10, P_40)]])
    # GT 1, FN 1, FP 1: MOTA = 1 − 2/1 = −1; no match, so MOTP is undefined.
    assert (scores.matches, scores.misses, scores.false_positives) == (0, 1, 1)
    assert scores.mota == pytest.approx(-1.0) and math.isnan(scores.motp)
    assert clear_mot([[person(1, P)]], [[person(10, P_40)]], min_iou=0.4).matches == 1


def test_last_frames_pair_is_kept_over_a_better_newcomer() -> None:
    truth = [[person(1, P)], [person(1, P)]]
    # Frame 1: track 10 still overlaps 0.6; track 20 overlaps 1.0 but is a newcomer.
    output = [[person(10, P)], [person(10, P_60), person(20, P)]]
    scores = clear_mot(truth, output)
    # Matches 2 (1–10 twice), FP 1 (track 20), no switch; MOTP = (1 + 0.6) / 2.
    assert (scores.matches, scores.false_positives, scores.id_switches) == (2, 1, 0)
    assert scores.motp == pytest.approx(0.8)


def test_a_switch_is_counted_against_the_last_match_even_across_a_gap() -> None:
    truth = [[person(1, P)]] * 3
    back_to_the_same = clear_mot(truth, [[person(10, P)], [], [person(10, P)]])
    another = clear_mot(truth, [[person(10, P)], [], [person(20, P)]])
    # Each: GT 3, matches 2, FN 1 (frame 1); the second also switches 10 → 20 at frame 2.
    assert (back_to_the_same.misses, back_to_the_same.id_switches) == (1, 0)
    assert (another.misses, another.id_switches) == (1, 1)
    assert another.mota == pytest.approx(1 - 2 / 3)


def test_labels_must_agree_and_a_label_restricts_the_count() -> None:
    truth = [[person(1, P), IdentifiedBox(2, "car", Q)]]
    output = [[IdentifiedBox(10, "car", P), IdentifiedBox(20, "car", Q)]]
    # All classes: object 1 (person) is missed, the car on it is a FP; the car matches: GT 2,
    # FN 1, FP 1. Cars only: GT 1, matched, FP 1 (track 10, a car where no car is).
    everything = clear_mot(truth, output)
    assert (everything.matches, everything.misses, everything.false_positives) == (1, 1, 1)
    cars = clear_mot(truth, output, label="car")
    assert (cars.truth, cars.matches, cars.misses, cars.false_positives) == (1, 1, 0, 1)


def test_frames_must_line_up_and_identities_be_unique() -> None:
    with pytest.raises(ValueError, match="labelled frames"):
        clear_mot([[person(1, P)]], [])
    with pytest.raises(ValueError, match="twice"):
        clear_mot([[person(1, P), person(1, Q)]], [[]])


def test_detection_precision_and_recall_per_class() -> None:
    truth = [
        [person(1, P), person(2, Q), IdentifiedBox(3, "car", FAR)],
        [person(1, P)],
    ]
    output = [
        [
            Detection("person", 0.9, P),  # person TP
            Detection("person", 0.8, (100.0, 0.0, 110.0, 4.0)),  # IoU 0.4 with Q: FP, Q missed
            Detection("car", 0.7, FAR),  # car TP
            Detection("person", 0.6, (300.0, 300.0, 310.0, 310.0)),  # person FP
        ],
        [Detection("truck", 0.5, P)],  # truck FP; the person at P missed
    ]
    scores = detection_scores(truth, output)
    assert list(scores) == ["car", "person", "truck"]
    # Person: TP 1, FP 2, FN 2: precision 1/3, recall 1/3. Car: 1/1, 1/1. Truck: FP 1 only.
    people = scores["person"]
    assert (people.true_positives, people.false_positives, people.misses) == (1, 2, 2)
    assert (people.precision, people.recall) == pytest.approx((1 / 3, 1 / 3))
    assert (scores["car"].precision, scores["car"].recall) == (1.0, 1.0)
    assert scores["truck"].precision == 0.0 and math.isnan(scores["truck"].recall)


def test_matching_maximises_the_summed_iou_as_brute_force_does() -> None:
    rng = random.Random(16)
    for _ in range(200):
        a = [_random_box(rng) for _ in range(rng.randint(1, 4))]
        b = [_random_box(rng) for _ in range(rng.randint(1, 4))]
        overlap = iou_matrix(as_array(a), as_array(b))
        match = match_boxes(a, b, 0.1)
        assert all(overlap[i, j] >= 0.1 for i, j in match.pairs)
        assert sum(match.iou) == pytest.approx(_best_sum(overlap, 0.1))


def _random_box(rng: random.Random) -> tuple[float, float, float, float]:
    x, y = rng.uniform(0, 30), rng.uniform(0, 30)
    return (x, y, x + rng.uniform(5, 20), y + rng.uniform(5, 20))


def _best_sum(matrix: np.ndarray, min_iou: float) -> float:
    """The largest summed IoU of any one-to-one pairing, by trying every one."""
    rows, cols = matrix.shape
    best = 0.0
    for chosen in itertools.permutations(range(max(rows, cols)), rows):
        total = sum(
            matrix[i, j] for i, j in enumerate(chosen) if j < cols and matrix[i, j] >= min_iou
        )
        best = max(best, total)
    return best
