"""Accuracy on vtest.avi against the hand labels (issue 16): the labels are what the issue asks for
and are replayed exactly from their draft and corrections; ``bench/analytics_accuracy.py`` runs as
an operator runs it, people are detected at precision ≥ 0.8 and recall ≥ 0.7, and its tracking
figures (MOTA, ID switches) are made of counts that add up to the labels."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from tests.integration.analytics.test_detect_cli import ROOT, needs_footage, needs_package

DATA = ROOT / "tests" / "data" / "analytics"
LABELS = DATA / "vtest_labels.json"
WIDTH, HEIGHT = 768, 576
#: vtest.avi is 10 fps; the product analyses 5 frames a second: every second frame.
STEP = 2
COCO_KINDS = {"person", "car", "truck", "bus", "bicycle", "motorcycle"}
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def objects() -> dict[int, list[dict[str, Any]]]:
    stored = json.loads(LABELS.read_text())
    return {int(k): v for k, v in stored["frames"].items()}


def scored(label: str | None = None) -> int:
    """Labelled objects that count (not ignored), of one label or all."""
    return sum(
        1
        for frame in objects().values()
        for o in frame
        if not o.get("ignore") and (label is None or o["label"] == label)
    )


def test_the_labels_are_50_consecutive_analysis_frames_of_well_formed_boxes() -> None:
    stored = json.loads(LABELS.read_text())
    assert stored["source"] == "vtest.avi"
    assert "checked by eye" in stored["how"]
    frames = sorted(objects())
    assert len(frames) == 50
    assert all(b - a == STEP for a, b in itertools.pairwise(frames))
    seen: dict[int, list[int]] = defaultdict(list)
    for frame, items in objects().items():
        ids = [o["id"] for o in items]
        assert len(ids) == len(set(ids)), frame
        for o in items:
            x1, y1, x2, y2 = o["box"]
            assert 0 <= x1 < x2 <= WIDTH and 0 <= y1 < y2 <= HEIGHT, (frame, o)
            assert o["label"] in COCO_KINDS
            assert o.get("ignore") or y2 - y1 >= 15, (frame, o)
            seen[o["id"]].append(frame)
    # One object, one number: each id is seen in one unbroken run of frames, with one label.
    for runs in seen.values():
        assert runs == list(range(runs[0], runs[-1] + STEP, STEP))
    labels = {o["id"]: o["label"] for items in objects().values() for o in items}
    assert sum(label == "person" for label in labels.values()) >= 8


def test_the_labels_are_replayed_exactly_from_the_draft_and_the_corrections(
    tmp_path: Path,
) -> None:
    target = tmp_path / "labels.json"
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "label_frames.py"), "apply", "--labels", str(target)],
        env=ENV,
        check=True,
        capture_output=True,
        timeout=60,
    )
    assert target.read_text() == LABELS.read_text()


@pytest.fixture(scope="module")
def figures() -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "analytics_accuracy.py")],
        env=ENV,
        capture_output=True,
        text=True,
        timeout=280,
        check=True,
    )
    value: dict[str, Any] = json.loads(result.stdout.splitlines()[-1])
    return value


@needs_package
@needs_footage
@pytest.mark.parametrize("run", ["nanodet", "nanodet_gated", "nanodet_fp32"])
def test_people_are_detected_at_the_issues_precision_and_recall(
    figures: dict[str, Any], run: str
) -> None:
    people = figures["detection"][run]["person"]
    assert people["tp"] + people["fn"] == scored("person")
    assert people["precision"] == pytest.approx(
        people["tp"] / (people["tp"] + people["fp"]), abs=1e-4
    )
    assert people["precision"] >= 0.8
    assert people["recall"] >= 0.7
    assert figures["frames"] == sorted(objects())


@needs_package
@needs_footage
def test_the_reference_is_scored_on_the_same_labels(figures: dict[str, Any]) -> None:
    blobs = figures["detection"]["mog2"]
    assert blobs["person"]["tp"] + blobs["person"]["fn"] == scored("person")
    assert blobs["vehicle"]["tp"] == 0  # moving blobs: the parked cars are never found


@needs_package
@needs_footage
@pytest.mark.parametrize("run", ["nanodet", "nanodet_gated", "nanodet_fp32"])
def test_mota_and_id_switches_come_from_the_labels(figures: dict[str, Any], run: str) -> None:
    for kind, truth in (("all", scored()), ("person", scored("person"))):
        mot = figures["tracking"][run][kind]
        assert mot["truth"] == truth
        assert mot["matches"] + mot["misses"] == truth
        errors = mot["misses"] + mot["false_positives"] + mot["id_switches"]
        assert mot["mota"] == pytest.approx(1 - errors / truth, abs=1e-4)
    # The bound: the clip is 10 s of people walking mostly apart (the labels' boxes of two
    # people touch in two pairs only); a tracker that keeps identities needs far fewer than one
    # switch per two labelled trajectories.
    trajectories = len({o["id"] for items in objects().values() for o in items})
    assert figures["tracking"][run]["all"]["id_switches"] <= trajectories // 2
