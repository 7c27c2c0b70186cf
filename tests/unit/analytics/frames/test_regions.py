"""The detector's crop around the changed regions."""

from __future__ import annotations

from vigil.analytics.frames.regions import crop_for


def test_a_small_region_gets_a_model_sized_square_around_it() -> None:
    crop = crop_for([(100, 100, 140, 160)], (1920, 1080), 416)
    x1, y1, x2, y2 = crop
    assert (x2 - x1, y2 - y1) == (416, 416)
    assert x1 <= 100 and y1 <= 100 and x2 >= 140 and y2 >= 160


def test_the_square_stays_inside_the_frame() -> None:
    x1, y1, x2, y2 = crop_for([(1900, 1060, 1920, 1080)], (1920, 1080), 416)
    assert (x2, y2) == (1920, 1080) and (x2 - x1, y2 - y1) == (416, 416)


def test_regions_far_apart_are_held_together() -> None:
    x1, y1, x2, y2 = crop_for([(100, 100, 120, 120), (600, 500, 620, 520)], (1920, 1080), 416)
    assert x1 <= 100 and y1 <= 100 and x2 >= 620 and y2 >= 520 and x2 - x1 == y2 - y1


def test_a_crop_covering_most_of_the_frame_is_the_whole_frame() -> None:
    assert crop_for([(10, 10, 700, 500)], (768, 576), 416) == (0, 0, 768, 576)
    assert crop_for([(0, 0, 1900, 40)], (1920, 1080), 416) == (0, 0, 1920, 1080)
