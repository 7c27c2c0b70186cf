"""The motion gate: a still picture passes once (no background yet), then is skipped and counted;
a moving square is found where it moved, in source pixels."""

from __future__ import annotations

import numpy as np

from vigil.analytics.frames.motion import MotionGate


def scene(square_at: tuple[int, int] | None) -> np.ndarray:
    rng = np.random.default_rng(7)
    frame = rng.integers(90, 110, (576, 768, 3), dtype=np.uint8)  # a grainy grey wall
    if square_at is not None:
        x, y = square_at
        frame[y : y + 60, x : x + 40] = (240, 230, 200)  # a light coat
    return frame


def test_a_still_picture_passes_once_then_is_skipped() -> None:
    gate = MotionGate()
    assert gate.regions(scene(None)) == [(0, 0, 768, 576)]
    for _ in range(5):
        assert gate.regions(scene(None)) == []
    assert (gate.seen, gate.passed, gate.skipped) == (6, 1, 5)


def test_a_moving_square_is_found_where_it_is() -> None:
    gate = MotionGate()
    gate.regions(scene((100, 100)))
    gate.regions(scene((100, 100)))
    regions = gate.regions(scene((500, 300)))
    # The square appeared at 500,300 and left 100,100: both places changed.
    assert len(regions) == 2, regions
    new = max(regions, key=lambda r: r[0])
    assert new[0] <= 500 and new[1] <= 300 and new[2] >= 540 and new[3] >= 360
    assert new[2] - new[0] < 120 and new[3] - new[1] < 140  # tight, not the whole frame
    assert gate.skipped == 1


def test_small_flicker_below_the_threshold_is_no_motion() -> None:
    gate = MotionGate(threshold=25)
    base = scene(None)
    gate.regions(base)
    brighter = (base.astype(np.int16) + 10).astype(np.uint8)  # exposure drift of 10 levels
    assert gate.regions(brighter) == []
