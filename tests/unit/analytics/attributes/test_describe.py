"""Which attributes each class gets, and "unknown" for parts too small or too mixed to name."""

from __future__ import annotations

import numpy as np

from vigil.analytics.attributes import UNKNOWN, describe

RED, BLUE, GREEN, WHITE = (190, 30, 35), (30, 70, 170), (40, 130, 60), (235, 235, 232)


def person(top: tuple[int, int, int], legs: tuple[int, int, int], height: int = 90) -> np.ndarray:
    """A flat figure filling its crop: top colour down to 52 % of the height, legs below."""
    picture = np.empty((height, height // 3, 3), np.uint8)
    picture[: int(0.52 * height)] = top
    picture[int(0.52 * height) :] = legs
    return picture


def test_a_person_gets_upper_and_lower_colours() -> None:
    assert describe("person", person(RED, BLUE)) == {"upper": "red", "lower": "blue"}


def test_vehicles_get_their_type_and_bodies_their_colour() -> None:
    body = np.full((60, 90, 3), WHITE, np.uint8)
    for label in ("car", "bus", "truck"):
        assert describe(label, body) == {"type": label, "colour": "white"}
    for label in ("motorcycle", "bicycle"):
        assert describe(label, body) == {"type": label}
    assert describe("dog", body) == {}


def test_a_part_of_a_few_pixels_is_unknown() -> None:
    # 12 px tall: the upper part is 4 rows of 3 columns, fewer pixels than a colour needs.
    assert describe("person", person(RED, BLUE, height=12)) == {"upper": UNKNOWN, "lower": UNKNOWN}


def test_a_part_of_many_colours_is_unknown() -> None:
    stripes = person(RED, BLUE)
    for k, colour in enumerate((RED, BLUE, GREEN, WHITE) * 8):  # 3-px stripes, top to bottom
        stripes[3 * k : 3 * k + 3] = colour
    assert describe("person", stripes) == {"upper": UNKNOWN, "lower": UNKNOWN}


def test_a_box_inside_the_crop_is_read_and_its_margin_is_not() -> None:
    crop = np.full((110, 50, 3), GREEN, np.uint8)  # the margin around the figure: grass
    crop[10:100, 10:40] = person(RED, BLUE)
    assert describe("person", crop, (10, 10, 40, 100)) == {"upper": "red", "lower": "blue"}
