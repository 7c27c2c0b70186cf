"""Licence plates drawn for the tests, pasted into real frames of ``vtest.avi``.

A plate is drawn at its real proportions (440 × 140 mm for seven characters, 480 × 140 for the
green eight-character new-energy plate; characters 45 × 90 mm, the gap after the second wider),
each character stretched into its cell as the plate typeface is: CJK from Debian's
``fonts-droid-fallback``, letters and digits from ``fonts-dejavu-core`` (bold). Colours: white on
blue, black on yellow, black on green. :func:`paste` puts it into a frame straight or turned 10°
away with perspective (the far edge 8 % shorter) and then blurs the frame slightly.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from pathlib import Path

import av
import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from vigil.analytics.plates.formats import LETTERS, PROVINCES

CJK_FONT = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
LATIN_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
#: Background and character colours, RGB.
COLOURS = {
    "blue": ((10, 60, 190), (255, 255, 255)),
    "yellow": ((240, 190, 0), (0, 0, 0)),
    "green": ((120, 210, 120), (0, 0, 0)),
}
DIGITS = "0123456789"


@dataclass(frozen=True)
class PlateCase:
    """A plate pasted into a frame: its text, colour, whether turned, and the picture (BGR)."""

    text: str
    colour: str
    turned: bool
    picture: np.ndarray


def _glyph(
    char: str, fg: tuple[int, int, int], bg: tuple[int, int, int], size: tuple[int, int]
) -> Image.Image:
    font = ImageFont.truetype(str(CJK_FONT if ord(char) > 127 else LATIN_FONT), 120)
    canvas = Image.new("RGB", (200, 200), bg)
    ImageDraw.Draw(canvas).text((100, 100), char, font=font, fill=fg, anchor="mm")
    ink = np.abs(np.asarray(canvas).astype(int) - np.array(bg)).sum(axis=2) > 60
    ys, xs = np.nonzero(ink)
    return canvas.crop((xs.min(), ys.min(), xs.max() + 1, ys.max() + 1)).resize(size)


def render(text: str, colour: str) -> np.ndarray:
    """The plate, BGR, 140 px high (1 px a millimetre)."""
    bg, fg = COLOURS[colour]
    seven = len(text) == 7
    width, cell, gap = (440, 45, 12) if seven else (480, 43, 9)
    plate = Image.new("RGB", (width, 140), bg)
    ImageDraw.Draw(plate).rectangle([5, 5, width - 6, 134], outline=fg, width=3)
    x = 15.5 if seven else 15.0
    for index, char in enumerate(text):
        if index == 2:
            x += 22 if seven else 28
        plate.paste(_glyph(char, fg, bg, (cell, 90)), (int(x), 25))
        x += cell + gap
    return np.asarray(plate)[:, :, ::-1].copy()


def paste(
    frame: np.ndarray, plate: np.ndarray, x: int, y: int, width: int, turned: bool
) -> np.ndarray:
    """``frame`` with ``plate`` scaled to ``width`` at (x, y); ``turned``: 10° away, blurred."""
    height = round(width * plate.shape[0] / plate.shape[1])
    small = cv2.resize(plate, (width, height), interpolation=cv2.INTER_AREA)
    out = frame.copy()
    if not turned:
        out[y : y + height, x : x + width] = small
        return out
    angle = math.radians(10)
    far_x, drop = width * math.cos(angle), width * math.sin(angle)
    source = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    target = np.array(
        [[0, 0], [far_x, drop + 0.04 * height], [far_x, drop + 0.96 * height], [0, height]],
        dtype=np.float32,
    ) + np.array([x, y], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(source, target)
    size = (frame.shape[1], frame.shape[0])
    mask = cv2.warpPerspective(np.full((height, width), 255, np.uint8), matrix, size) > 0
    out[mask] = cv2.warpPerspective(small, matrix, size)[mask]
    blurred: np.ndarray = cv2.GaussianBlur(out, (3, 3), 0.8)
    return blurred


def plate_text(rng: random.Random, colour: str) -> str:
    """A random plate of the colour's format (green: a small new-energy car's)."""
    head = rng.choice(PROVINCES) + rng.choice(LETTERS)
    if colour == "green":
        return (
            head
            + rng.choice("DF")
            + rng.choice(DIGITS + LETTERS)
            + "".join(rng.choices(DIGITS, k=4))
        )
    return head + "".join(rng.choices(DIGITS + LETTERS, k=5))


def vtest_frames(path: Path, every: int = 40) -> list[np.ndarray]:
    """Every ``every``-th frame of ``vtest.avi`` (BGR)."""
    with av.open(str(path)) as container:
        return [
            frame.to_ndarray(format="bgr24")
            for index, frame in enumerate(container.decode(video=0))
            if index % every == 0
        ]


def cases(frames: list[np.ndarray], count: int, seed: int) -> list[PlateCase]:
    """``count`` plates, blue, green and yellow in turn, every other one turned, each at a
    random place and width (120–170 px, as plates are in a 768×576 picture) in one of ``frames``."""
    rng = random.Random(seed)
    made = []
    for index in range(count):
        colour = ("blue", "green", "yellow")[index % 3]
        turned = index % 2 == 1
        text = plate_text(rng, colour)
        width = rng.randint(120, 170)
        x, y = rng.randint(50, 500), rng.randint(100, 450)
        picture = paste(frames[index % len(frames)], render(text, colour), x, y, width, turned)
        made.append(PlateCase(text, colour, turned, picture))
    return made
