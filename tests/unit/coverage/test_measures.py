"""Key-area, road and intersection measures on a hand-drawn crossroads."""

from __future__ import annotations

import shapely
from pytest import approx
from shapely.geometry import LineString, Point, box

from vigil.coverage.footprint import Camera, sector
from vigil.coverage.measures import (
    IntersectionRule,
    approaches,
    area_share,
    length_share,
    view_intersection,
)

# Two 200 m roads crossing at the origin; the intersection has four approaches.
ROADS = [LineString([(-100, 0), (100, 0)]), LineString([(0, -100), (0, 100)])]
RULE = IntersectionRule(centre_radius=10, approach_length=30, seen_share=0.9)
# West of the crossing, facing east, 60° wide, 100 m: sees the centre zone (its sector is
# 45·tan 30° = 26 m to each side at x = 0, more than the 10 m radius), the west and east
# approaches, and the x-axis from −45 to 55.
WEST = Camera(-45, 0, heading=90, fov=60, far=100)
# North of it, facing south, 50 m: sees the north approach but the south one only from y = 0 to
# y = −5 (50 m from the camera): 5 of 30 m, under 90 %.
NORTH_SHORT = Camera(0, 45, heading=180, fov=60, far=50)
NORTH_LONG = Camera(0, 45, heading=180, fov=60, far=80)


def seen_by(*cameras: Camera) -> shapely.Geometry:
    return shapely.union_all([sector(c) for c in cameras])


def test_approaches_of_a_crossroads_and_of_a_t() -> None:
    assert len(approaches(Point(0, 0), ROADS, RULE)) == 4
    # A road ending at the centre gives one approach; one ending 5 m past it leaves a stub
    # shorter than the centre radius, which is no approach.
    t_roads = [ROADS[0], LineString([(0, 0), (0, 100)]), LineString([(5, -5), (5, 100)])]
    lengths = sorted(a.length for a in approaches(Point(0, 0), t_roads[:2], RULE))
    assert lengths == [30, 30, 30]
    assert len(approaches(Point(0, 0), t_roads[2:], RULE)) == 1


def test_three_of_four_approaches_seen_is_not_counted() -> None:
    view = view_intersection(Point(0, 0), ROADS, seen_by(WEST, NORTH_SHORT), RULE)
    assert view.centre_seen
    assert (view.approaches, view.approaches_seen) == (4, 3)
    assert not view.counted
    assert view.missing == 1
    # With 80 m the north camera reaches y = −35, past the south approach's end at −30.
    assert view_intersection(Point(0, 0), ROADS, seen_by(WEST, NORTH_LONG), RULE).counted


def test_centre_zone_not_seen_is_not_counted() -> None:
    # Only the north camera, and only its left half: the centre disc is half seen.
    half = Camera(0, 45, heading=180, fov=60, far=80)
    seen = sector(half).intersection(box(-100, -100, 0, 100))
    view = view_intersection(Point(0, 0), ROADS, seen, RULE)
    assert not view.centre_seen and not view.counted


def test_road_length_share() -> None:
    # x-axis: the west camera sees −45..55 (100 m); the north one adds nothing there.
    # y-axis: the west camera sees |y| ≤ 45·tan 30° = 25.98 m; the north one y = −5..45.
    # Together −25.98..45 = 70.98 m. (100 + 70.98) / 400 = 0.42745.
    assert length_share(ROADS, seen_by(WEST, NORTH_SHORT)) == approx(0.427452, abs=1e-6)
    assert length_share([], seen_by(WEST)) is None


def test_area_share_counts_overlapping_areas_once() -> None:
    # Two overlapping 20 × 20 squares make one 20 × 30 area (600 m², not 800). A camera at
    # (10, 10) facing east with a 180° view and 40 m reach (past every corner) sees its eastern
    # half, x 10..20, y 0..30: 300 m², so 0.5.
    squares = [box(0, 0, 20, 20), box(0, 10, 20, 30)]
    assert area_share(squares, sector(Camera(10, 10, 90, 180, far=40))) == approx(0.5)
    assert area_share([], sector(Camera(10, 10, 90, 180, far=40))) is None
