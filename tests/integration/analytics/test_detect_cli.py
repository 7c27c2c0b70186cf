"""``vigil analytics detect`` as an operator runs it: a real process on the stored frame and, when
``make install`` fetched it, on two frames of vtest.avi; one JSON object per frame, COCO labels,
boxes in the file's own pixels; a frame the file lacks or an unknown model is one line, status 1."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.integration.live import VIGIL, vigil_env

ROOT = Path(__file__).parents[3]
FRAME = ROOT / "tests" / "data" / "analytics" / "vtest_frame120.ppm"
FOOTAGE = ROOT / "footage" / "vtest.avi"
PACKAGE = ROOT / "models" / "node_modules" / "@vladmandic" / "human-models" / "models"

needs_package = pytest.mark.skipif(
    not (PACKAGE / "nanodet.json").is_file(), reason="models/ npm package missing (make install)"
)
needs_footage = pytest.mark.skipif(
    not FOOTAGE.is_file(), reason="footage/vtest.avi missing (make install: tools/fetch-footage.sh)"
)
#: The walker in the middle of the road in frame 120, checked by eye on the stored 416×312 frame.
WALKER_416 = (277.5, 116.7, 292.7, 159.9)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


def detect(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*VIGIL, "analytics", "detect", *args],
        env=vigil_env(data_dir),
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def lines(result: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def walker(objects: list[dict[str, Any]], near: Sequence[float]) -> list[int]:
    """The best-scored person's box. Scores are printed to two places, so two people may tie at
    the top (onnxruntime 1.32 put the walker second of two at 0.68): then the one nearer
    ``near``."""
    people = [o for o in objects if o["label"] == "person"]
    top = max(o["score"] for o in people)
    tied = [o["box"] for o in people if o["score"] == top]
    return list(min(tied, key=lambda box: sum(abs(a - b) for a, b in zip(box, near, strict=True))))


@needs_package
def test_the_stored_frame(data_dir: Path) -> None:
    (frame,) = lines(detect(data_dir, str(FRAME)))
    assert frame["frame"] == 0
    objects = frame["objects"]
    assert sum(o["label"] == "person" for o in objects) >= 6
    for o in objects:
        x1, y1, x2, y2 = o["box"]
        assert all(isinstance(v, int) for v in o["box"])
        assert 0 <= x1 < x2 <= 416 and 0 <= y1 < y2 <= 312
        assert 0.35 <= o["score"] <= 1 and round(o["score"], 2) == o["score"]
    assert walker(objects, WALKER_416) == pytest.approx(WALKER_416, abs=4)


@needs_package
@needs_footage
def test_two_frames_of_the_clip_in_its_own_pixels(data_dir: Path) -> None:
    first, second = lines(detect(data_dir, str(FOOTAGE), "--frames", "220,120"))
    assert (first["frame"], second["frame"]) == (120, 220)
    for frame in (first, second):
        assert sum(o["label"] == "person" for o in frame["objects"]) >= 4
        assert all(o["box"][2] <= 768 and o["box"][3] <= 576 for o in frame["objects"])
    # The same walker as on the stored frame, which is frame 120 scaled by 416/768.
    expected = [v * 768 / 416 for v in WALKER_416]
    assert walker(first["objects"], expected) == pytest.approx(expected, abs=10)
    assert first["objects"] != second["objects"]


@needs_package
@needs_footage
def test_a_frame_the_clip_lacks(data_dir: Path) -> None:
    result = detect(data_dir, str(FOOTAGE), "--frames", "790,5000")
    assert result.returncode == 1
    assert [json.loads(line)["frame"] for line in result.stdout.splitlines()] == [790]
    assert result.stderr.strip() == f"vigil: {FOOTAGE} has no frame 5000"


def test_an_unknown_model(data_dir: Path) -> None:
    result = detect(data_dir, str(FRAME), "--model", "nosuchnet")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("vigil: model 'nosuchnet': no such file")
