"""Plate colours named from flattened plates drawn in the five colours, with their characters."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from vigil.analytics.plates.colour import plate_colour

#: (background, characters) in BGR.
PLATES = {
    "blue": ((190, 60, 10), (255, 255, 255)),
    "yellow": ((0, 190, 240), (0, 0, 0)),
    "green": ((120, 210, 120), (0, 0, 0)),
    "white": ((235, 235, 235), (0, 0, 0)),
    "black": ((20, 20, 20), (255, 255, 255)),
}


def flat_plate(background: tuple[int, int, int], ink: tuple[int, int, int]) -> np.ndarray:
    plate = np.full((48, 168, 3), background, dtype=np.uint8)
    for index in range(7):
        cv2.rectangle(plate, (8 + 22 * index, 8), (8 + 22 * index + 12, 40), ink, 3)
    return plate


@pytest.mark.parametrize("colour", sorted(PLATES))
def test_each_plate_colour_is_named(colour: str) -> None:
    assert plate_colour(flat_plate(*PLATES[colour])) == colour


def test_the_new_energy_gradient_is_green() -> None:
    plate = flat_plate((120, 210, 120), (0, 0, 0))
    fade = np.linspace(0.0, 1.0, plate.shape[1])[None, :, None]
    white = np.full_like(plate, 245)
    graded = (white * (1 - fade) * 0.4 + plate * (0.6 + 0.4 * fade)).astype(np.uint8)
    assert plate_colour(graded) == "green"


def test_a_purple_picture_is_unknown() -> None:
    assert plate_colour(flat_plate((160, 20, 140), (255, 255, 255))) == "unknown"
