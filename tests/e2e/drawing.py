"""Helpers of the browser tests that draw on a picture (the rule and mask editors)."""

from __future__ import annotations

from playwright.sync_api import Locator


def at(overlay: Locator, point: tuple[float, float]) -> tuple[float, float]:
    """The page position of ``point`` (fractions of the overlay's width and height)."""
    box = overlay.bounding_box()
    assert box is not None
    return box["x"] + point[0] * box["width"], box["y"] + point[1] * box["height"]


def close(got: list[list[float]], want: list[tuple[float, float]]) -> bool:
    """Whether the points match, each coordinate within 0.01."""
    pairs = zip(got, want, strict=False)
    return len(got) == len(want) and all(
        abs(g[0] - w[0]) <= 0.01 and abs(g[1] - w[1]) <= 0.01 for g, w in pairs
    )
