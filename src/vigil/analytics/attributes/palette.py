"""The named colours an operator searches by, and the name of each pixel in CIE L*a*b*.

The palette is the ten colours of the vehicle body colour code that Chinese traffic police use
(GA 24.8: 白 灰 黄 粉 红 紫 绿 蓝 棕 黑) plus orange (橙), which clothing needs (high-visibility
vests, orange jackets). Silver falls under grey, cyan under blue, olive under green, cream and
beige under white, khaki and tan under yellow or brown by their lightness; "unknown"
(:data:`UNKNOWN`) is not a colour of the palette but the answer when a region is too small or too
mixed to name.

A pixel is named from its lightness L* (0..100), chroma C* (distance from the grey axis) and hue
angle h (degrees) in L*a*b*, which is built so that equal distances look about equally different,
unlike RGB, and whose hue does not swing wildly for dark pixels as HSV's does:

* achromatic (C* below :data:`ACHROMATIC_CHROMA`): black below L* 30, white from L* 80, grey
  between; also black below L* 12 unless strongly coloured, and white from L* 85 unless clearly
  coloured (cream, beige, white paint under tinted light);
* otherwise by hue, with lightness (and chroma) splitting the pairs people tell apart by it: red
  and pink (light or bluish reds), orange and brown (dark, dull oranges; dull yellows), yellow and
  green (olive), blue, purple (light purples are pink).

The boundaries were set on named sRGB colours (test_palette.py holds them) and checked on people's
clothes in ``vtest.avi`` (jeans there are L* 30–45, C* 11–21, h 260–285; black coats L* 0–15).
"""

from __future__ import annotations

import enum

import cv2
import numpy as np

__all__ = [
    "ACHROMATIC_CHROMA",
    "CHINESE",
    "COLOURS",
    "UNKNOWN",
    "Colour",
    "lab_of",
    "name_pixels",
]


class Colour(enum.StrEnum):
    """A colour of the palette; the value is the API's word."""

    black = "black"
    white = "white"
    grey = "grey"
    red = "red"
    orange = "orange"
    yellow = "yellow"
    green = "green"
    blue = "blue"
    purple = "purple"
    pink = "pink"
    brown = "brown"


#: The palette in index order: :func:`name_pixels` answers indices into it.
COLOURS: tuple[Colour, ...] = tuple(Colour)

#: The console's words (the API speaks the English values).
CHINESE: dict[Colour, str] = {
    Colour.black: "黑", Colour.white: "白", Colour.grey: "灰", Colour.red: "红",
    Colour.orange: "橙", Colour.yellow: "黄", Colour.green: "绿", Colour.blue: "蓝",
    Colour.purple: "紫", Colour.pink: "粉", Colour.brown: "棕",
}  # fmt: skip

UNKNOWN = "unknown"
"""A region too small or too mixed to name."""

#: Below this chroma a pixel is black, grey or white (the clothes and cars of the test footage:
#: greys sit under 7, the palest blue jacket at 12).
ACHROMATIC_CHROMA = 9.0
#: A pixel darker than this with chroma under :data:`_DARK_CHROMA` is black: at such lightness
#: video noise and compression decide the hue (a navy coat in the test footage is L* ~7, C* ~18;
#: jeans in shade, L* ~16, C* ~12, stay blue).
_DARK_L = 12.0
_DARK_CHROMA = 25.0
#: A pixel lighter than this with chroma under :data:`_PALE_CHROMA` is white: cream, beige, and
#: white paint under warm or cold light.
_PALE_L = 85.0
_PALE_CHROMA = 16.0
_BLACK_L = 30.0
_WHITE_L = 80.0

_I = {colour: index for index, colour in enumerate(COLOURS)}


def lab_of(rgb: np.ndarray) -> np.ndarray:
    """``rgb`` (…×3, uint8) as float L*a*b* (L* 0..100), same leading shape."""
    shape = rgb.shape
    flat = np.ascontiguousarray(rgb, dtype=np.float32).reshape(-1, 1, 3) / 255.0
    return np.asarray(cv2.cvtColor(flat, cv2.COLOR_RGB2Lab)).reshape(shape)


def _first(rules: list[tuple[np.ndarray, Colour]], otherwise: Colour) -> np.ndarray:
    """Per pixel, the palette index of the first rule whose condition holds."""
    conditions = [condition for condition, _ in rules]
    return np.select(conditions, [_I[colour] for _, colour in rules], _I[otherwise])


def name_pixels(lab: np.ndarray) -> np.ndarray:
    """The palette index (into :data:`COLOURS`) of every pixel of ``lab`` (…×3 L*a*b*)."""
    lightness, a, b = lab[..., 0], lab[..., 1], lab[..., 2]
    chroma = np.hypot(a, b)
    hue = np.degrees(np.arctan2(b, a)) % 360.0
    grey = _first(
        [(lightness < _BLACK_L, Colour.black), (lightness >= _WHITE_L, Colour.white)], Colour.grey
    )
    reds = (hue >= 345.0) | (hue < 46.0)
    roses = (hue >= 345.0) | (hue < 10.0)  # the bluish reds: pink while not dark
    oranges = (hue >= 46.0) & (hue < 75.0)
    yellows = (hue >= 75.0) & (hue < 105.0)
    chromatic = _first(
        [
            (reds & ((lightness >= 65.0) | (roses & (lightness >= 50.0))), Colour.pink),
            (reds, Colour.red),
            (oranges & ((lightness >= 55.0) | (chroma >= 60.0)), Colour.orange),
            (oranges, Colour.brown),
            (yellows & (lightness >= 60.0), Colour.yellow),
            (yellows & (hue < 92.0), Colour.brown),  # dull, dark yellows: khaki, tan
            (yellows, Colour.green),  # olive
            (hue < 180.0, Colour.green),
            (hue < 310.0, Colour.blue),  # cyan to ultramarine
            (lightness >= 75.0, Colour.pink),  # the purples left: light ones are pink
        ],
        Colour.purple,
    )
    named = np.where(chroma < ACHROMATIC_CHROMA, grey, chromatic)
    named = np.where((lightness >= _PALE_L) & (chroma < _PALE_CHROMA), _I[Colour.white], named)
    return np.where((lightness < _DARK_L) & (chroma < _DARK_CHROMA), _I[Colour.black], named)
