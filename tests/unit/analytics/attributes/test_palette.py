"""Naming colours: named sRGB colours get the palette's names, flat noisy patches of each
palette colour are named whole, and the palette has its console words."""

from __future__ import annotations

import numpy as np
import pytest

from vigil.analytics.attributes import CHINESE, COLOURS, Colour, Region, colour_of
from vigil.analytics.attributes.palette import lab_of, name_pixels

WHOLE = Region(0.0, 0.0, 1.0, 1.0)

#: Named sRGB colours (CSS names, and a few of cars and clothes) and the palette word an
#: operator would use for each.
NAMED: dict[tuple[int, int, int], Colour] = {
    (255, 0, 0): Colour.red, (139, 0, 0): Colour.red, (220, 20, 60): Colour.red,
    (128, 0, 0): Colour.red, (180, 20, 30): Colour.red, (255, 69, 0): Colour.red,
    (255, 165, 0): Colour.orange, (255, 140, 0): Colour.orange, (255, 120, 0): Colour.orange,
    (255, 255, 0): Colour.yellow, (255, 215, 0): Colour.yellow, (200, 170, 40): Colour.yellow,
    (0, 128, 0): Colour.green, (0, 255, 0): Colour.green, (34, 139, 34): Colour.green,
    (0, 100, 0): Colour.green, (128, 128, 0): Colour.green,
    (0, 0, 255): Colour.blue, (0, 0, 128): Colour.blue, (65, 105, 225): Colour.blue,
    (135, 206, 235): Colour.blue, (173, 216, 230): Colour.blue, (21, 96, 189): Colour.blue,
    (0, 255, 255): Colour.blue, (70, 130, 180): Colour.blue,
    (128, 0, 128): Colour.purple, (75, 0, 130): Colour.purple, (148, 0, 211): Colour.purple,
    (238, 130, 238): Colour.purple,
    (255, 192, 203): Colour.pink, (255, 105, 180): Colour.pink, (255, 20, 147): Colour.pink,
    (219, 112, 147): Colour.pink,
    (139, 69, 19): Colour.brown, (160, 82, 45): Colour.brown, (101, 67, 33): Colour.brown,
    (0, 0, 0): Colour.black, (20, 20, 24): Colour.black, (40, 40, 40): Colour.black,
    (105, 105, 105): Colour.grey, (128, 128, 128): Colour.grey, (192, 192, 192): Colour.grey,
    (255, 255, 255): Colour.white, (230, 225, 200): Colour.white, (245, 245, 220): Colour.white,
}  # fmt: skip


def test_named_colours_get_the_word_an_operator_uses() -> None:
    rgb = np.array(list(NAMED), np.uint8).reshape(-1, 1, 3)
    named = [COLOURS[i] for i in name_pixels(lab_of(rgb)).reshape(-1)]
    wrong = {
        rgb: (got.value, want.value)
        for (rgb, want), got in zip(NAMED.items(), named, strict=True)
        if got != want
    }
    assert wrong == {}


#: A paint of each palette colour, as flat patches are tested.
PAINTS: dict[Colour, tuple[int, int, int]] = {
    Colour.black: (25, 25, 28), Colour.white: (235, 235, 232), Colour.grey: (128, 130, 133),
    Colour.red: (190, 30, 35), Colour.orange: (235, 120, 20), Colour.yellow: (230, 200, 30),
    Colour.green: (40, 130, 60), Colour.blue: (30, 70, 170), Colour.purple: (110, 40, 140),
    Colour.pink: (240, 160, 185), Colour.brown: (110, 70, 40),
}  # fmt: skip


@pytest.mark.parametrize("colour", list(Colour))
def test_a_noisy_patch_of_each_colour_is_named_whole(colour: Colour) -> None:
    noise = np.random.default_rng(3).normal(0.0, 6.0, (40, 30, 3))
    patch = np.clip(np.array(PAINTS[colour], np.float32) + noise, 0, 255).astype(np.uint8)
    assert colour_of(patch, None, WHOLE) == colour.value


def test_every_colour_has_a_chinese_word() -> None:
    assert set(CHINESE) == set(Colour) and len(set(CHINESE.values())) == len(Colour)
    assert len(COLOURS) == 11
