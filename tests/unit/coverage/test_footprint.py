"""Footprints of hand-placed cameras, with the figures worked out by hand beside each assertion."""

from __future__ import annotations

import math

import pytest
from shapely.geometry import Point, box

from vigil.coverage.footprint import (
    Camera,
    DensityLevel,
    Mount,
    Obstacles,
    density_range,
    ground_band,
    sector,
)


def test_range_follows_pixels_field_of_view_and_density() -> None:
    # 1920 px over a 60° view: scene width 2·d·tan 30° = 1.1547·d; at 62.5 px/m
    # d = 1920 / (62.5 · 1.1547) = 26.60 m. Twice the density halves it: 13.30 m.
    assert density_range(1920, 60, DensityLevel.observation) == pytest.approx(26.604, abs=1e-3)
    assert density_range(1920, 60, DensityLevel.recognition) == pytest.approx(13.302, abs=1e-3)
    # 704 px (D1) at 25 px/m over 90°: 704 / (25 · 2) = 14.08 m.
    assert density_range(704, 90, DensityLevel.detection) == pytest.approx(14.08)
    assert density_range(1920, 180, DensityLevel.detection) == 0.0


def test_mounting_height_and_tilt_clip_the_ground_band() -> None:
    # 6 m high, tilted 30° down, 30° vertical view: the image spans 15°..45° below the horizon.
    # Near edge 6 / tan 45° = 6 m; far edge 6 / tan 15° = 22.39 m, inside the slant reach
    # √(26.6² − 6²) = 25.92 m, so the band is 6..22.39 m.
    near, far = ground_band(26.604, Mount(height=6, tilt=30, vertical_fov=30))
    assert near == pytest.approx(6.0)
    assert far == pytest.approx(22.392, abs=1e-3)
    # Looking at the horizon (tilt 0): the top edge never meets the ground; the reach decides.
    assert ground_band(10.0, Mount(6, 0, 30))[1] == pytest.approx(8.0)  # √(10² − 6²)
    # Mounted higher than it can resolve: nothing on the ground.
    near, far = ground_band(5.0, Mount(6, 45, 30))
    assert near == far
    # A 16:9 image with 60° horizontal view has 2·atan(tan 30° · 9/16) = 36.0° vertical.
    assert Mount.widescreen(6, 30, 60).vertical_fov == pytest.approx(35.98, abs=0.01)


def test_square_key_area_half_covered() -> None:
    # Camera in the middle of a 20 × 20 m square, facing east with a 180° view and 20 m reach
    # (past every corner, 14.1 m away): it sees exactly the eastern half, 200 of 400 m².
    area = box(0, 0, 20, 20)
    seen = sector(Camera(x=10, y=10, heading=90, fov=180, far=20))
    assert area.intersection(seen).area == pytest.approx(200.0)


def test_annular_sector_area() -> None:
    # 90° view between 10 and 30 m: (π/4)(30² − 10²) = 628.3 m² (1° arc steps lose < 0.01 %).
    seen = sector(Camera(0, 0, 0, 90, far=30, near=10))
    assert seen.area == pytest.approx(math.pi / 4 * 800, rel=1e-4)
    assert sector(Camera(0, 0, 0, 360, far=10)).area == pytest.approx(math.pi * 100, rel=1e-4)
    assert sector(Camera(0, 0, 0, 90, far=5, near=5)).is_empty


def test_building_shadow_hides_a_known_part() -> None:
    # Camera at the origin facing north, 90° view, 30 m. A 4 × 4 m building at x −2..2, y 10..14:
    # its shadow lies between the rays through its near corners (±2, 10), i.e. |x| ≤ y/5 beyond
    # y = 10. A 10 × 10 m key area at x −5..5, y 15..25 lies inside the sector (|x| ≤ 5 < y,
    # farthest corner 25.5 m), so the shadow takes ∫₁₅²⁵ 2y/5 dy = (25² − 15²)/5 = 80 m² of its
    # 100 m²: 20 m² stay visible.
    camera = Camera(0, 0, heading=0, fov=90, far=30)
    visible = Obstacles([box(-2, 10, 2, 14)]).visible(camera)
    assert box(-5, 15, 5, 25).intersection(visible).area == pytest.approx(20.0, abs=1e-6)
    # Whole sector: π/4 · 30² = 706.9 m² less the shadow wedge (half-angle atan 0.2 = 0.1974 rad)
    # α·30² − the 4 × 10 / 2 triangle before the building = 177.7 − 20 = 157.7 m²: 549.2 m².
    assert visible.area == pytest.approx(706.86 - 157.66, abs=0.1)


def test_camera_on_a_building_sees_out_of_it() -> None:
    camera = Camera(0, 0, heading=0, fov=90, far=30)
    mounted_on = box(-3, -3, 3, 0.5)
    assert Obstacles([mounted_on]).visible(camera).area == pytest.approx(sector(camera).area)


def test_wide_building_close_to_the_camera_hides_all_behind_it() -> None:
    # A wall 1 m in front of the camera, 200 m wide, subtends almost 180°: nothing behind it
    # within the sector may leak through the far side of its shadow. What stays visible is the
    # triangle before the wall: height 1 m, half-width tan 60° = 1.732 m, area 1.732 m².
    camera = Camera(0, 0, heading=0, fov=120, far=50)
    visible = Obstacles([box(-100, 1, 100, 2)]).visible(camera)
    assert visible.intersects(Point(0, 40)) is False
    assert visible.area == pytest.approx(math.tan(math.radians(60)))
