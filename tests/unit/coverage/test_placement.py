"""Placement advice: the MIP against greedy, and the pieces that feed it."""

from __future__ import annotations

import numpy as np
import pytest
from shapely.geometry import LineString, box

from vigil.coverage.footprint import Obstacles
from vigil.coverage.placement import (
    HEADINGS,
    candidate_positions,
    candidates_at,
    coverage_sets,
    greedy,
    sample_demand,
    solve_mclp,
)


def sets(*members: list[int]) -> list[np.ndarray]:
    return [np.array(m, dtype=np.intp) for m in members]


def test_mip_beats_greedy_where_greedy_is_myopic() -> None:
    # Points 0–12, weight 1 each. A = {0..6} (7 points), B = {1, 2, 3, 7, 8, 9} (6),
    # C = {4, 5, 6, 10, 11, 12} (6). Greedy takes A (7), then B or C adds 3: 10 in all.
    # B and C together see 1..12: 12, the optimum.
    weights = np.ones(13)
    covers = sets([0, 1, 2, 3, 4, 5, 6], [1, 2, 3, 7, 8, 9], [4, 5, 6, 10, 11, 12])
    start = greedy(weights, covers, 2)
    assert start[0] == 0
    assert weights[np.unique(np.concatenate([covers[j] for j in start]))].sum() == 10
    solution = solve_mclp(weights, covers, 2, start)
    assert sorted(solution.chosen) == [1, 2]
    assert solution.objective == pytest.approx(12)
    assert solution.status == "Optimal"


def test_greedy_stops_when_nothing_is_left_to_gain() -> None:
    covers = sets([0, 1], [1], [0])
    assert greedy(np.ones(2), covers, 3) == [0]
    assert solve_mclp(np.ones(2), [], 3, []).chosen == []


def test_demand_grid_weights_sum_to_the_area() -> None:
    region = box(0, 0, 100, 50).difference(box(0, 0, 50, 25))  # an L of 3750 m²
    demand = sample_demand(region, 1500)
    assert 1400 < len(demand.xs) <= 1550  # about 1500: whole grid cells only
    assert demand.weights.sum() == pytest.approx(3750, rel=0.02)
    assert sample_demand(box(0, 0, 0, 0), 10).xs.size == 0


def test_candidates_cover_what_their_footprints_contain() -> None:
    area = box(0, 0, 60, 40)
    positions = candidate_positions(area, [LineString([(-10, 20), (70, 20)])], 15.0, 50)
    # About 50 grid points over the area grown by 15 m, plus road points every grid step.
    assert 40 < len(positions) < 90
    wall = box(20, 10, 22, 30)
    candidates = candidates_at([(10, 20)], 90, 30, Obstacles([wall]))
    assert [c.camera.heading for c in candidates] == list(HEADINGS)
    demand = sample_demand(area, 600)
    covers = coverage_sets(candidates, demand)
    east = covers[2]  # heading 90°: the wall at x 20–22 hides what lies straight behind it
    xs, ys = demand.xs[east], demand.ys[east]
    assert len(east) > 0 and xs.min() > 10
    assert not np.any((xs > 22) & (np.abs(ys - 20) < 5))
