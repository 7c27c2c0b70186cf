"""Analysis worker processes, for real: frames through shared memory, detections back; a still
picture is detected once and then skipped by the motion gate; a worker that is behind drops the
newest frames and counts them, and every frame is either analysed or dropped."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.unit.analytics.test_tfjs_import import DATA, needs_package, read_ppm
from vigil.analytics.frames.worker import AnalysisWorker, FrameMeta, WorkerConfig

FRAME = read_ppm(DATA / "vtest_frame120.ppm")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


@needs_package
def test_a_still_camera_is_detected_once_then_gated(data_dir: Path) -> None:
    worker = AnalysisWorker(WorkerConfig(data_dir), FRAME.shape, slots=2)
    try:
        results = []
        for index in range(4):
            assert worker.offer(FRAME, FrameMeta("cam1", index, index / 5))
            results.append(worker.results.get(timeout=120))
        # Another camera showing the same picture has a gate (a background) of its own.
        assert worker.offer(FRAME, FrameMeta("cam2", 0, 0.0))
        results.append(worker.results.get(timeout=120))
    finally:
        assert worker.stop() == []
    assert [(r.meta.camera, r.meta.index) for r in results[:4]] == [("cam1", k) for k in range(4)]
    assert not results[0].skipped
    assert sum(d.label == "person" for d in results[0].objects) >= 6
    assert all(r.skipped and r.objects == () for r in results[1:4])
    assert not results[4].skipped and results[4].objects == results[0].objects
    assert worker.process.exitcode == 0


@needs_package
def test_a_worker_behind_drops_and_counts(data_dir: Path) -> None:
    worker = AnalysisWorker(WorkerConfig(data_dir, gated=False), FRAME.shape, slots=2)
    try:
        offered = [worker.offer(FRAME, FrameMeta("cam1", k, k / 25)) for k in range(40)]
        time.sleep(0.2)
    finally:
        left = worker.stop()
    analysed = sorted(r.meta.index for r in left)
    assert worker.dropped == offered.count(False) > 0
    assert len(analysed) == offered.count(True) == 40 - worker.dropped
    assert analysed[:2] == [0, 1]  # the first two filled the ring; the newest were dropped
    assert all(r.objects for r in left)
