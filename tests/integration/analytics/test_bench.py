"""The analytics benches run (shortened) and end with their JSON lines: ``bench/analytics.py``
(cameras per core, gated and ungated, and the per-stage costs they come from) and
``bench/plates.py`` (plates read per second per core, exactness, a track's cost)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.integration.analytics.test_detect_cli import FOOTAGE, ROOT, needs_footage, needs_package


@needs_package
@needs_footage
def test_the_bench_ends_with_its_figures() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "analytics.py"), "--cameras", "2", "--seconds", "2"],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        timeout=240,
        check=True,
    )
    figures = json.loads(result.stdout.splitlines()[-1])
    assert (figures["cameras"], figures["frames"]) == (2, 20)
    stages = figures["ms_per_frame"]
    assert all(stages[name] > 0 for name in ("decode", "gate", "detect_ungated"))
    total = stages["decode"] + stages["gate"] + stages["detect_gated"]
    assert figures["cameras_per_core"] == pytest.approx(1000 / (5 * total), rel=0.02)
    ungated = stages["decode"] + stages["detect_ungated"]
    assert figures["cameras_per_core_ungated"] == pytest.approx(1000 / (5 * ungated), rel=0.02)
    in_float = stages["decode"] + stages["detect_fp32"]
    assert figures["cameras_per_core_fp32"] == pytest.approx(1000 / (5 * in_float), rel=0.02)
    # int8 (the default on the CPU) runs the whole frame in well under float's CPU time.
    assert stages["detect_ungated"] < 0.8 * stages["detect_fp32"]
    assert FOOTAGE.name == figures["footage"]


@needs_footage
def test_the_plates_bench_ends_with_its_figures() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "plates.py"), "--cases", "6"],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        timeout=240,
        check=True,
    )
    figures = json.loads(result.stdout.splitlines()[-1])
    assert figures["cases"] == 6
    assert figures["plates_per_second_per_core"] > 0
    assert figures["reference_plates_per_second_per_core"] > 0
    assert 0.0 <= figures["exact"] <= 1.0 and 0.0 <= figures["reference_exact"] <= 1.0
    per_read = 1000 / figures["plates_per_second_per_core"]
    assert figures["track_cpu_ms"] == pytest.approx(figures["track_reads"] * per_read, rel=0.02)
