"""Coordinate systems sites deliver layers in, converted to WGS-84 at import.

- **wgs84**: stored as is.
- **cgcs2000**: China Geodetic Coordinate System 2000. Its ellipsoid differs from WGS-84 only in
  the flattening (1/298.257222101 against 1/298.257223563, under 0.1 mm on the ground) and its frame
  agrees with WGS-84 to a few centimetres, so at the precision of a camera footprint it *is* WGS-84
  and is stored unchanged.
- **gcj02**: the obfuscated datum of Chinese web maps (高德, 腾讯; 百度's BD-09 is GCJ-02 shifted
  once more and is not accepted). Its forward formula is public (the widely reproduced
  "eviltransform"); there is no closed inverse, so WGS-84 is found by fixed-point iteration to
  1e-9 degrees (≈ 0.1 mm). Outside China's bounding box GCJ-02 equals WGS-84.
"""

from __future__ import annotations

import enum

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

__all__ = ["CoordinateSystem", "gcj02_from_wgs84", "to_wgs84"]

_A = 6_378_245.0  # Krasovsky 1940 semi-major axis, as GCJ-02 uses it
_EE = 0.006_693_421_622_965_943
_ITERATIONS = 30

Coords = NDArray[np.float64]


class CoordinateSystem(enum.StrEnum):
    """The coordinate system a GIS layer is delivered in (stored in WGS-84 whatever it is)."""

    wgs84 = "wgs84"
    gcj02 = "gcj02"
    cgcs2000 = "cgcs2000"


def _in_china(lon: Coords, lat: Coords) -> NDArray[np.bool_]:
    return (lon > 72.004) & (lon < 137.8347) & (lat > 0.8293) & (lat < 55.8271)


def _offset(lon: Coords, lat: Coords) -> tuple[Coords, Coords]:
    """GCJ-02 minus WGS-84 at a WGS-84 position, in degrees (zero outside China)."""
    x, y = lon - 105.0, lat - 35.0
    pi = np.pi
    common = (20 * np.sin(6 * x * pi) + 20 * np.sin(2 * x * pi)) * 2 / 3
    dlat = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x)) + common
    dlat += (20 * np.sin(y * pi) + 40 * np.sin(y / 3 * pi)) * 2 / 3
    dlat += (160 * np.sin(y / 12 * pi) + 320 * np.sin(y * pi / 30)) * 2 / 3
    dlon = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x)) + common
    dlon += (20 * np.sin(x * pi) + 40 * np.sin(x / 3 * pi)) * 2 / 3
    dlon += (150 * np.sin(x / 12 * pi) + 300 * np.sin(x / 30 * pi)) * 2 / 3
    rad = np.radians(lat)
    magic = 1 - _EE * np.sin(rad) ** 2
    dlat = dlat * 180 / ((_A * (1 - _EE)) / (magic * np.sqrt(magic)) * pi)
    dlon = dlon * 180 / (_A / np.sqrt(magic) * np.cos(rad) * pi)
    inside = _in_china(lon, lat)
    return np.where(inside, dlon, 0.0), np.where(inside, dlat, 0.0)


def gcj02_from_wgs84(coords: Coords) -> Coords:
    """WGS-84 (lon, lat) rows to GCJ-02: the published forward formula."""
    dlon, dlat = _offset(coords[:, 0], coords[:, 1])
    return np.column_stack((coords[:, 0] + dlon, coords[:, 1] + dlat))


def _wgs84_from_gcj02(coords: Coords) -> Coords:
    wgs = coords.copy()
    for _ in range(_ITERATIONS):
        step = coords - gcj02_from_wgs84(wgs)
        wgs += step
        if np.abs(step).max(initial=0.0) < 1e-9:
            break
    return wgs


def to_wgs84(geometry: BaseGeometry, crs: CoordinateSystem) -> BaseGeometry:
    """A geometry in ``crs`` longitude/latitude, in WGS-84."""
    if crs is CoordinateSystem.gcj02:
        return shapely.transform(geometry, _wgs84_from_gcj02)
    return geometry  # wgs84 as is; cgcs2000 equal at this precision (see the module docstring)
