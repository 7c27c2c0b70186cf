"""Attributes on real pixels of ``vtest.avi``: the clothes of the hand-labelled people as seen
by eye on their crops (black coats and jackets, blue jeans, one pale blue anorak), the two parked
cars (a white van, a pale blue car), synthetic cars of every palette colour painted onto the real
road, and a synthetic walker whose road between the legs the background model discounts."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from tests.unit.analytics.attributes.cars import painted_car
from tests.unit.analytics.attributes.footage import ROAD, frame, object_crop
from tests.unit.analytics.attributes.test_palette import PAINTS
from tests.unit.sim.footage import needs_vtest
from vigil.analytics.attributes import Colour, describe
from vigil.analytics.live.evidence import framed

pytestmark = needs_vtest

#: (frame, labelled id) → (upper, lower), read by eye from 4× crops of the labelled boxes.
PEOPLE: dict[tuple[int, int], tuple[str, str]] = {
    (200, 103): ("blue", "blue"),  # pale blue anorak, jeans
    (200, 104): ("black", "blue"),  # dark striped jumper, jeans
    (230, 104): ("black", "blue"),  # the same man: a long jacket, jeans in shade
    (200, 105): ("black", "black"),  # black jacket, black trousers
    (200, 106): ("black", "blue"),
    (230, 106): ("black", "blue"),
    (290, 106): ("black", "blue"),
    (200, 107): ("black", "blue"),
    (260, 107): ("black", "blue"),
    (230, 108): ("black", "black"),  # black coat, black trousers
    (290, 108): ("black", "black"),
    (230, 109): ("black", "black"),  # black leather jacket, black trousers
}


@pytest.mark.parametrize(("at", "seen"), list(PEOPLE.items()), ids=str)
def test_people_wear_what_the_eye_sees(at: tuple[int, int], seen: tuple[str, str]) -> None:
    crop, box = object_crop(*at)
    upper, lower = seen
    assert describe("person", crop, box) == {"upper": upper, "lower": lower}


@pytest.mark.parametrize(
    ("index", "object_id", "colour"), [(200, 201, "white"), (290, 201, "white"), (200, 202, "blue")]
)
def test_the_parked_cars_have_their_colours(index: int, object_id: int, colour: str) -> None:
    crop, box = object_crop(index, object_id)
    assert describe("car", crop, box) == {"type": "car", "colour": colour}


@pytest.mark.parametrize("colour", list(Colour))
@pytest.mark.parametrize("box", [(20, 25, 140, 105), (35, 45, 100, 85)], ids=["120px", "65px"])
def test_a_car_painted_on_the_road_has_its_paint_colour(
    colour: Colour, box: tuple[int, int, int, int]
) -> None:
    picture = painted_car(frame(290)[ROAD], PAINTS[colour], box, seed=len(colour))
    found = framed(picture, box)
    assert found is not None
    assert describe("truck", *found) == {"type": "truck", "colour": colour.value}


def walker(road: np.ndarray, top: tuple[int, int, int], legs: tuple[int, int, int]) -> np.ndarray:
    """``road`` with a figure in the box (50, 20, 90, 120) striding wide: the road shows between
    its legs in the middle of the lower part."""
    picture = road.copy()
    cv2.circle(picture, (70, 28), 8, (60, 40, 30), -1)
    cv2.rectangle(picture, (61, 36), (79, 75), top, -1)
    cv2.line(picture, (67, 75), (54, 118), legs, 6)
    cv2.line(picture, (73, 75), (86, 118), legs, 6)
    return picture


def test_the_road_between_a_walkers_legs_is_discounted() -> None:
    picture = walker(frame(290)[ROAD], PAINTS[Colour.red], PAINTS[Colour.blue])
    found = framed(picture, (50, 20, 90, 120))
    assert found is not None
    crop, box = found
    assert describe("person", crop, box) == {"upper": "red", "lower": "blue"}
    # Without the margin there is no background to discount: the road wins the legs' part.
    inside = crop[box[1] : box[3], box[0] : box[2]]
    assert describe("person", inside) == {"upper": "red", "lower": "grey"}
