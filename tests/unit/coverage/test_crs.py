"""Coordinate systems at import, and the local metric plane."""

from __future__ import annotations

import numpy as np
import pytest
from shapely.geometry import LineString, Point, box

from vigil.coverage.crs import CoordinateSystem, gcj02_from_wgs84, to_wgs84
from vigil.coverage.projection import LocalPlane

HEFEI = (117.2312, 31.8570)


def test_gcj02_round_trip_and_size_of_the_shift() -> None:
    wgs = np.array([HEFEI, (116.391, 39.907), (121.47, 31.23)])
    gcj = gcj02_from_wgs84(wgs)
    plane = LocalPlane(*HEFEI)
    shift = np.hypot(*(np.subtract(plane.to_xy(*gcj[0]), plane.to_xy(*wgs[0]))))
    assert 100 < shift < 1000  # GCJ-02 moves points by a few hundred metres in eastern China
    back = to_wgs84(LineString(gcj), CoordinateSystem.gcj02)
    assert np.abs(np.asarray(back.coords) - wgs).max() < 1e-8


def test_gcj02_is_wgs84_outside_china_and_cgcs2000_is_kept() -> None:
    paris = np.array([(2.35, 48.85)])
    assert (gcj02_from_wgs84(paris) == paris).all()
    point = Point(HEFEI)
    assert to_wgs84(point, CoordinateSystem.cgcs2000).equals(point)
    assert to_wgs84(point, CoordinateSystem.wgs84).equals(point)


def test_local_plane_metres() -> None:
    plane = LocalPlane(*HEFEI)
    # The usual series for WGS-84 degree lengths at φ = 31.857°:
    # latitude 111132.92 − 559.82·cos 2φ + 1.175·cos 4φ = 110884.3 m,
    # longitude 111412.84·cos φ − 93.5·cos 3φ = 94639.6 m.
    assert plane.to_xy(HEFEI[0], HEFEI[1] + 0.01)[1] == pytest.approx(1108.843, abs=0.01)
    assert plane.to_xy(HEFEI[0] + 0.01, HEFEI[1])[0] == pytest.approx(946.396, abs=0.01)
    square = box(117.23, 31.85, 117.24, 31.86)
    assert plane.inverse(plane.forward(square)).equals_exact(square, 1e-12)
    assert plane.forward(square).area == pytest.approx(946.4 * 1108.8, rel=2e-3)
    centred = LocalPlane.around([square])
    assert centred.to_xy(117.235, 31.855) == pytest.approx((0.0, 0.0))
    assert centred.to_lonlat(0.0, 0.0) == pytest.approx((117.235, 31.855))
