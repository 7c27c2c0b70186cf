"""The detector's crop around the changed regions: the frame's shape, at least the model's width."""

from __future__ import annotations

import pytest

from vigil.analytics.frames.regions import crop_for


def test_a_small_region_gets_a_model_wide_crop_of_the_frames_shape() -> None:
    x1, y1, x2, y2 = crop_for([(100, 100, 140, 160)], (1920, 1080), 416)
    assert x2 - x1 == 416 and (x2 - x1) / (y2 - y1) == pytest.approx(16 / 9, abs=0.01)
    assert x1 <= 100 and y1 <= 100 and x2 >= 140 and y2 >= 160


def test_the_crop_stays_inside_the_frame() -> None:
    x1, _, x2, y2 = crop_for([(1900, 1060, 1920, 1080)], (1920, 1080), 416)
    assert (x2, y2) == (1920, 1080) and x2 - x1 == 416


def test_a_tall_region_widens_the_crop_to_the_frames_shape() -> None:
    x1, y1, x2, y2 = crop_for([(500, 100, 520, 500)], (1920, 1080), 416)
    assert y1 <= 100 and y2 >= 500 and (x2 - x1) / (y2 - y1) == pytest.approx(16 / 9, abs=0.01)


def test_regions_far_apart_are_held_together() -> None:
    x1, y1, x2, y2 = crop_for([(100, 100, 120, 120), (600, 500, 620, 520)], (1920, 1080), 416)
    assert x1 <= 100 and y1 <= 100 and x2 >= 620 and y2 >= 520


def test_a_crop_covering_most_of_the_frame_is_the_whole_frame() -> None:
    assert crop_for([(10, 10, 700, 500)], (768, 576), 416) == (0, 0, 768, 576)
    assert crop_for([(0, 0, 1900, 40)], (1920, 1080), 416) == (0, 0, 1920, 1080)
    assert crop_for([(300, 0, 340, 576)], (768, 576), 416) == (0, 0, 768, 576)
