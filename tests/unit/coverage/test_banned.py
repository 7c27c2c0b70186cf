"""Banned places in the picture: which columns look at a place, worked out by hand beside each
assertion. With a 90° view, tan(fov/2) = 1 and a point at δ from the heading lands on column
0.5 + tan(δ) / 2."""

from __future__ import annotations

import pytest
from shapely.geometry import box

from vigil.coverage.banned import BannedOverlap, banned_in_view, picture_columns
from vigil.coverage.footprint import Camera, Obstacles

NORTH = Camera(0, 0, heading=0, fov=90, far=30)


def test_a_place_to_the_right_of_the_view_lands_on_the_right_half() -> None:
    # Facing north, a box east of the axis. Its corners' bearings: (5, 20) at atan(5/20), the
    # least, so tan δ = 0.25 → x = 0.625; (10, 15) at atan(10/15), the most, → x = 0.8333.
    columns = picture_columns(NORTH, box(5, 15, 10, 20))
    assert columns == pytest.approx((0.625, 0.5 + (10 / 15) / 2))
    # The mirror image, west of the axis, lands on the left half at 1 − those columns.
    assert picture_columns(NORTH, box(-10, 15, -5, 20)) == pytest.approx((1 - 0.8333333, 0.375))


def test_heading_is_clockwise_from_north() -> None:
    # Facing east (90°), south is on the right. (20, −5) is at bearing 104.04°, δ = 14.04°,
    # tan δ = 0.25; (15, −10) at 123.69°, δ = 33.69°, tan δ = 2/3: the same columns as above.
    east = Camera(0, 0, heading=90, fov=90, far=30)
    assert picture_columns(east, box(15, -10, 20, -5)) == pytest.approx((0.625, 0.8333333))
    # Facing west (270°), the same place is behind the camera.
    west = Camera(0, 0, heading=270, fov=90, far=30)
    assert picture_columns(west, box(15, -10, 20, -5)) is None


def test_a_place_straight_ahead_is_centred() -> None:
    # 60° view: tan 30° = 0.5774. (±2, 10) are at tan δ = ±0.2 → x = 0.5 ± 0.2 / 1.1547.
    camera = Camera(0, 0, heading=0, fov=60, far=30)
    left, right = picture_columns(camera, box(-2, 10, 2, 12)) or (-1.0, -1.0)
    assert (left, right) == pytest.approx((0.5 - 0.2 / 1.1547005, 0.5 + 0.2 / 1.1547005))
    assert (left + right) / 2 == pytest.approx(0.5)


def test_places_behind_aside_or_beyond_reach_are_not_in_the_picture() -> None:
    assert picture_columns(NORTH, box(-5, -20, 5, -10)) is None  # behind
    assert picture_columns(NORTH, box(20, -2, 25, 2)) is None  # east, outside the 90° view
    assert picture_columns(NORTH, box(-5, 31, 5, 50)) is None  # past the 30 m reach
    # Touching the far arc at one point (0, 30) is not an overlap.
    assert picture_columns(NORTH, box(-5, 30, 5, 40)) is None
    # Within the near limit (the ground the picture does not show below a tilted camera).
    tilted = Camera(0, 0, heading=0, fov=90, far=30, near=8)
    assert picture_columns(tilted, box(-2, 2, 2, 6)) is None


def test_a_building_hides_a_place_behind_it() -> None:
    place = box(-2, 15, 2, 20)
    assert picture_columns(NORTH, place) is not None
    # A 8 m wide building at y 8..10 hides bearings to ±21.8° beyond it; the place is within ±7.6°.
    assert picture_columns(NORTH, place, Obstacles([box(-4, 8, 4, 10)])) is None
    # Half a building (x −4..0) hides the left half: seen from column 0.5 (bearing 0, the shadow's
    # edge) to (2, 15): tan δ = 2/15 → 0.5667.
    half = Obstacles([box(-4, 8, 0, 10)])
    assert picture_columns(NORTH, place, half) == pytest.approx((0.5, 0.5 + (2 / 15) / 2))


def test_a_place_wider_than_the_view_spans_the_whole_picture() -> None:
    columns = picture_columns(NORTH, box(-100, 5, 100, 200))
    assert columns is not None
    left, right = columns
    assert 0.0 <= left <= 1e-9 and 1 - 1e-9 <= right <= 1.0
    # A camera inside the place films it from edge to edge too.
    assert picture_columns(NORTH, box(-50, -50, 50, 50)) == pytest.approx((0.0, 1.0))


def test_a_strip_across_the_view_with_no_corner_in_it_spans_the_picture() -> None:
    # A thin place across the view whose own corners are all outside the footprint: the overlap's
    # corners are where it crosses the sector's sides (δ = ±45°, columns 0 and 1).
    left, right = picture_columns(NORTH, box(-1000, 20, 1000, 20.5)) or (-1.0, -1.0)
    assert left == pytest.approx(0.0) and right == pytest.approx(1.0)


def test_a_view_of_180_degrees_or_more_counts_the_whole_picture() -> None:
    fisheye = Camera(0, 0, heading=0, fov=200, far=10)
    assert picture_columns(fisheye, box(-1, 2, 1, 4)) == (0.0, 1.0)


def test_banned_in_view_lists_the_places_the_footprint_overlaps() -> None:
    places = [
        (7, "宾馆客房", box(5, 15, 10, 20)),
        (8, "更衣室", box(-5, -20, 5, -10)),  # behind the camera
        (9, "卫生间", box(-10, 15, -5, 20)),
    ]
    found = banned_in_view(NORTH, places, Obstacles([]))
    assert [(o.feature_id, o.name) for o in found] == [(7, "宾馆客房"), (9, "卫生间")]
    assert found[0] == BannedOverlap(7, "宾馆客房", found[0].columns)
    assert found[0].columns == pytest.approx((0.625, 0.8333333))
    assert found[1].columns == pytest.approx((0.1666667, 0.375))
