"""The int8 detector: it finds on the stored frame what the float one finds, its shipped ranges
belong to the model the importer makes today, and ranges that do not fit leave it in float."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.unit.analytics.test_tfjs_import import DATA, needs_package, read_ppm
from vigil.analytics.detect import detector as detector_module
from vigil.analytics.detect.boxes import Detection, iou_matrix
from vigil.analytics.detect.detector import Detector
from vigil.analytics.detect.variants import nanodet_variant
from vigil.analytics.models.cache import resolve_model
from vigil.analytics.models.quantize import (
    CALIBRATION,
    Calibration,
    CalibrationMismatchError,
    packaged_calibration,
    quantized,
)


def people(found: list[Detection]) -> np.ndarray:
    return np.array([d.box for d in found if d.label == "person"])


@needs_package
def test_int8_finds_the_people_float_finds_on_the_stored_frame(tmp_path: Path) -> None:
    frame = read_ppm(DATA / "vtest_frame120.ppm")
    in_float = Detector(data_dir=tmp_path, threads=1, precision="fp32")
    in_int8 = Detector(data_dir=tmp_path, threads=1)  # auto: int8 on the CPU
    assert (in_float.precision, in_int8.precision) == ("fp32", "int8")
    assert any("-int8-" in path.name for path in (tmp_path / "models").iterdir())
    a, b = people(in_float.detect(frame)), people(in_int8.detect(frame))
    assert len(a) >= 6 and abs(len(a) - len(b)) <= 1
    # Every person float finds, int8 finds at nearly the same place.
    assert iou_matrix(a, b).max(axis=1).min() >= 0.7
    batched = Detector(data_dir=tmp_path, threads=1, batch=True)
    other = np.ascontiguousarray(frame[:, ::-1])
    assert batched.detect_batch([frame, other]) == [in_int8.detect(frame), in_int8.detect(other)]


@needs_package
def test_the_shipped_ranges_belong_to_the_model_the_importer_makes(tmp_path: Path) -> None:
    model = resolve_model("nanodet", tmp_path)
    calibration = packaged_calibration(model)
    assert calibration is not None, f"{CALIBRATION} is for another conversion: recalibrate"
    assert "frames 180-320 left out" in calibration.source  # not the labelled stretch
    assert packaged_calibration(model.with_name("other.onnx")) is None
    assert packaged_calibration(model, tmp_path / "absent.json") is None


@needs_package
def test_ranges_that_do_not_fit_leave_the_detector_in_float(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = resolve_model("nanodet", tmp_path)
    stale = Calibration(model.stem, {"input_1": (0.0, 1.0), "gone": (-1.0, 1.0)})
    free = nanodet_variant(model, 416, tmp_path / "models")
    assert free is not None
    with pytest.raises(CalibrationMismatchError, match="VIGIL_ANALYTICS_PRECISION=fp32"):
        quantized(free, stale, tmp_path / "models")
    monkeypatch.setattr(detector_module, "packaged_calibration", lambda path: stale)
    detector = Detector(data_dir=tmp_path, threads=1)
    assert detector.precision == "fp32" and detector.calibration is None
    frame = read_ppm(DATA / "vtest_frame120.ppm")
    assert len(people(detector.detect(frame))) >= 6


def test_an_unknown_precision_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="auto, int8, fp32"):
        Detector(data_dir=tmp_path, precision="fp16")


def test_calibration_round_trips_through_json() -> None:
    calibration = Calibration("m", {"b": (-1.5, 2.0), "a": (0.0, 1.0)}, "frames")
    again = Calibration.from_json(json.loads(json.dumps(calibration.to_json())))
    assert again == calibration and again.digest() == calibration.digest()
    assert (
        Calibration("m", {"a": (0.0, 1.5)}).digest() != Calibration("m", {"a": (0.0, 1.0)}).digest()
    )
