"""NanoDet's outputs decoded into COCO detections: hand-made outputs, NMS, and the stored frame."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.unit.analytics.test_tfjs_import import DATA, NANODET, needs_package, read_ppm
from vigil.analytics.detect.boxes import nms
from vigil.analytics.detect.coco import COCO_LABELS
from vigil.analytics.detect.nanodet import NanoDetDecoder, letterbox
from vigil.analytics.models.cache import cached_onnx, open_session


def empty_outputs() -> dict[str, np.ndarray]:
    """NanoDet's six outputs with nothing detected (names as the converted model has them)."""
    outputs = {}
    for k, anchors in enumerate((2704, 676, 169)):
        outputs[f"cls{k}"] = np.zeros((1, anchors, 80), np.float32)
        outputs[f"reg{k}"] = np.zeros((1, anchors, 44), np.float32)
    return outputs


def test_one_anchor_decodes_to_its_centre_plus_the_expected_distances() -> None:
    outputs = empty_outputs()
    # Stride 16 (26×26 cells): the anchor of row 3, column 5; class 2 (car).
    anchor = 3 * 26 + 5
    outputs["cls1"][0, anchor, 2] = 0.9
    logits = np.full((4, 11), -50.0, np.float32)
    logits[0, 2] = logits[1, 1] = logits[2, 4] = logits[3, 3] = (
        50.0  # left 2, top 1, right 4, bottom 3
    )
    outputs["reg1"][0, anchor] = logits.reshape(44)
    (car,) = NanoDetDecoder().decode(outputs, scale=0.5)
    centre_x, centre_y = (5 + 0.5) * 16, (3 + 0.5) * 16
    expected = (centre_x - 32, centre_y - 16, centre_x + 64, centre_y + 48)
    assert car.label == "car" and car.score == pytest.approx(0.9)
    assert car.box == tuple(2 * v for v in expected)  # back to source pixels: ÷ scale


def test_nms_drops_overlaps_within_a_class_only() -> None:
    boxes = np.array([[0, 0, 10, 10], [1, 1, 11, 11], [0, 0, 10, 10], [50, 50, 60, 60]], float)
    scores = np.array([0.6, 0.9, 0.5, 0.4])
    classes = np.array([0, 0, 2, 0])
    assert nms(boxes, scores, classes, 0.6).tolist() == [1, 2, 3]


def test_letterbox_keeps_the_aspect_at_the_top_left() -> None:
    frame = np.full((576, 768, 3), 255, np.uint8)
    tensor, scale = letterbox(frame, 416)
    assert scale == pytest.approx(416 / 768)
    assert tensor.shape == (1, 3, 416, 416)
    assert tensor[0, :, :312].min() == 1.0 and tensor[0, :, 312:].max() == 0.0


@needs_package
def test_people_and_the_van_on_the_stored_frame(tmp_path: Path) -> None:
    frame = read_ppm(DATA / "vtest_frame120.ppm")
    tensor, scale = letterbox(frame, 416)
    session = open_session(cached_onnx(NANODET, tmp_path), threads=2)
    names = [output.name for output in session.get_outputs()]
    outputs = dict(zip(names, session.run(None, {"input_1": tensor}), strict=True))
    detections = NanoDetDecoder().decode(outputs, scale, (frame.shape[1], frame.shape[0]))
    people = [d for d in detections if d.label == "person"]
    assert len(people) >= 6, detections
    assert any(d.label in ("car", "truck") for d in detections), detections
    for d in detections:
        x1, y1, x2, y2 = d.box
        assert 0 <= x1 < x2 <= 416 and 0 <= y1 < y2 <= 312 and d.score >= 0.35
    # The walker in the middle of the road: the box as first decoded, checked by eye on the frame.
    walker = max(people, key=lambda d: d.score)
    assert walker.box == pytest.approx((277.5, 116.7, 292.7, 159.9), abs=4)


def test_the_label_table_has_cocos_80_classes() -> None:
    assert len(COCO_LABELS) == 80 and len(set(COCO_LABELS)) == 80
    assert (COCO_LABELS[0], COCO_LABELS[2], COCO_LABELS[7], COCO_LABELS[79]) == (
        "person",
        "car",
        "truck",
        "toothbrush",
    )
