"""The detector: a YOLO model made here (its output fixed, its input fed), the packaged NanoDet on
the stored frame, batched and one by one alike, and models it cannot decode refused."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from tests.unit.analytics.test_tfjs_import import DATA, needs_package, read_ppm
from vigil.analytics.detect.detector import Detector, UnsupportedModelError
from vigil.analytics.detect.variants import nanodet_variant


def constant_model(path: Path, output: np.ndarray, side: int = 320, batch: int | str = 1) -> Path:
    """A model whose output is ``output`` plus 0 × the input's maximum (so the input is used)."""
    nodes = [
        helper.make_node("ReduceMax", ["images"], ["peak"], keepdims=0),
        helper.make_node("Mul", ["peak", "zero"], ["nothing"]),
        helper.make_node("Add", ["fixed", "nothing"], ["output0"]),
    ]
    graph = helper.make_graph(
        nodes,
        "constant",
        [helper.make_tensor_value_info("images", TensorProto.FLOAT, [batch, 3, side, side])],
        [helper.make_tensor_value_info("output0", TensorProto.FLOAT, list(output.shape))],
        [
            numpy_helper.from_array(output.astype(np.float32), "fixed"),
            numpy_helper.from_array(np.zeros((), np.float32), "zero"),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.save(model, str(path))
    return path


def test_a_yolov8_model_gives_boxes_in_the_frames_pixels(tmp_path: Path) -> None:
    output = np.zeros((1, 84, 500), np.float32)
    output[0, :4, 0] = (160, 100, 40, 80)  # model pixels; the 640×480 frame is scaled by ½
    output[0, 4 + 7, 0] = 0.9  # truck
    detector = Detector(str(constant_model(tmp_path / "y8.onnx", output)), data_dir=tmp_path)
    assert detector.kind == "yolo" and detector.size == 320 and not detector.batched
    frame = np.zeros((480, 640, 3), np.uint8)
    (truck,) = detector.detect(frame)
    assert truck.label == "truck" and truck.box == (280.0, 120.0, 360.0, 280.0)
    assert detector.detect_batch([frame, frame]) == [[truck], [truck]]


def test_an_output_it_cannot_decode_is_refused(tmp_path: Path) -> None:
    path = constant_model(tmp_path / "odd.onnx", np.zeros((1, 100, 100), np.float32))
    with pytest.raises(UnsupportedModelError, match=r"\[1, 100, 100\]"):
        Detector(str(path), data_dir=tmp_path)


def test_a_non_square_input_is_refused(tmp_path: Path) -> None:
    model = onnx.load(str(constant_model(tmp_path / "m.onnx", np.zeros((1, 84, 500)))))
    model.graph.input[0].type.tensor_type.shape.dim[3].dim_value = 256
    onnx.save(model, str(tmp_path / "wide.onnx"))
    with pytest.raises(UnsupportedModelError, match="square"):
        Detector(str(tmp_path / "wide.onnx"), data_dir=tmp_path)


@needs_package
def test_nanodet_batched_finds_what_it_finds_frame_by_frame(tmp_path: Path) -> None:
    frame = read_ppm(DATA / "vtest_frame120.ppm")
    other = np.ascontiguousarray(frame[:, ::-1])  # the mirror image: other boxes
    one_by_one = Detector(data_dir=tmp_path, threads=1, batch=False, precision="fp32")
    batched = Detector(data_dir=tmp_path, threads=1, batch=True, precision="fp32")
    assert batched.batched and not one_by_one.batched
    singles = [one_by_one.detect(frame), one_by_one.detect(other)]
    assert sum(d.label == "person" for d in singles[0]) >= 6
    assert singles[0] != singles[1]
    together = batched.detect_batch([frame, other])
    for alone, joint in zip(singles, together, strict=True):
        assert [d.label for d in joint] == [d.label for d in alone]
        for a, b in zip(alone, joint, strict=True):
            assert b.box == pytest.approx(a.box, abs=0.2)
            assert b.score == pytest.approx(a.score, abs=1e-3)


@needs_package
def test_a_landscape_frame_runs_shorter_and_finds_the_same(tmp_path: Path) -> None:
    frame = read_ppm(DATA / "vtest_frame120.ppm")  # 416×312: 320 rows of input, not 416
    square = Detector(data_dir=tmp_path, threads=1, variants=False).detect(frame)
    shorter = Detector(data_dir=tmp_path, threads=1, precision="fp32")
    found = shorter.detect(frame)
    assert sorted(shorter.sessions) == [320, 416]
    assert [d.label for d in found] == [d.label for d in square]
    for a, b in zip(square, found, strict=True):
        assert b.box == pytest.approx(a.box, abs=1.0)
        assert b.score == pytest.approx(a.score, abs=0.01)
    wide = np.zeros((1080, 1920, 3), np.uint8)  # 16:9 fills 234 rows: 256 of input
    assert shorter.detect(wide) == [] and sorted(shorter.sessions) == [256, 320, 416]


def test_a_model_not_shaped_like_nanodet_has_no_variant(tmp_path: Path) -> None:
    path = constant_model(tmp_path / "y8.onnx", np.zeros((1, 84, 500)))
    assert nanodet_variant(path, 320, tmp_path / "cache") is None
    assert not (tmp_path / "cache").exists()
