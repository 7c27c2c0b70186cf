"""YOLO outputs decoded: YOLOv8's [1, 4+classes, boxes] and YOLOv5's [1, boxes, 5+classes], made by
hand; any other layout is refused with its shape named."""

from __future__ import annotations

import numpy as np
import pytest

from vigil.analytics.detect.yolo import UnsupportedLayoutError, YoloDecoder, yolo_layout


def test_v8_layout_boxes_back_in_source_pixels() -> None:
    output = np.zeros((1, 84, 100), np.float32)
    output[0, :4, 7] = (100, 50, 20, 40)  # centre 100,50, 20 wide, 40 high (input pixels)
    output[0, 4 + 2, 7] = 0.8  # car
    output[0, :4, 8] = (101, 51, 20, 40)  # the same car, a little lower scored: suppressed
    output[0, 4 + 2, 8] = 0.7
    output[0, 4 + 0, 9] = 0.2  # below the threshold
    (car,) = YoloDecoder().decode(output, scale=0.5)
    assert car.label == "car" and car.score == pytest.approx(0.8)
    assert car.box == (180.0, 60.0, 220.0, 140.0)


def test_v5_layout_scores_objectness_times_class() -> None:
    output = np.zeros((1, 200, 85), np.float32)
    output[0, 3, :5] = (40, 40, 10, 30, 0.9)
    output[0, 3, 5 + 0] = 0.8  # person, 0.72 in all
    output[0, 4, :5] = (200, 40, 10, 30, 0.3)
    output[0, 4, 5 + 0] = 0.9  # 0.27: below the threshold
    (person,) = YoloDecoder().decode(output, source=(100, 100))
    assert person.label == "person" and person.score == pytest.approx(0.72)
    assert person.box == (35.0, 25.0, 45.0, 55.0)


def test_a_model_of_other_classes_names_them_by_number() -> None:
    output = np.zeros((1, 4 + 3, 20), np.float32)
    output[0, :4, 0] = (10, 10, 4, 4)
    output[0, 4 + 1, 0] = 0.9
    (found,) = YoloDecoder().decode(output)
    assert found.label == "class1"


@pytest.mark.parametrize(
    ("shape", "layout"), [((1, 84, 8400), "v8"), ((1, 25200, 85), "v5"), ((1, 6, 300), "v8")]
)
def test_layouts(shape: tuple[int, ...], layout: str) -> None:
    assert yolo_layout(shape) == layout


@pytest.mark.parametrize("shape", [(1, 84), (2, 84, 8400), (1, 4, 3), (1, 100, 100)])
def test_other_layouts_are_refused(shape: tuple[int, ...]) -> None:
    with pytest.raises(UnsupportedLayoutError, match=str(list(shape)).replace("[", r"\[")):
        yolo_layout(shape)
