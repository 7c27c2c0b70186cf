"""Placement advice: where to put N more cameras, and facing where, to see most of an area.

A maximal covering location problem (Church & ReVelle, 1974). Demand points sample the part of
the area no camera sees yet, each weighted by the area it stands for; candidates are positions
(a grid over the area and points along its roads, or the caller's) times eight headings, each
with its footprint (buildings included). Binary x_j picks candidate j, y_i ∈ [0, 1] marks point i
seen:

    maximise Σ w_i·y_i   subject to   y_i ≤ Σ_{j covers i} x_j  (each i),   Σ x_j ≤ N.

y may stay continuous: with binary x an optimum has y_i = min(1, Σ x_j), which is 0 or 1. HiGHS
solves it, warm-started with the greedy choice (best marginal gain first, the classic 1 − 1/e
approximation), so the answer is never worse than greedy even when the time limit stops the
search early.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import highspy
import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

from vigil.coverage.footprint import Camera, Obstacles, sector

__all__ = [
    "HEADINGS",
    "Candidate",
    "Demand",
    "Solution",
    "candidate_positions",
    "candidates_at",
    "coverage_sets",
    "demand_size",
    "greedy",
    "sample_demand",
    "solve_mclp",
]

HEADINGS = tuple(float(h) for h in range(0, 360, 45))


@dataclass(frozen=True, slots=True)
class Demand:
    """Sample points of what is to be seen, each standing for ``weights[i]`` square metres."""

    xs: NDArray[np.float64]
    ys: NDArray[np.float64]
    weights: NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible new camera (position and heading) with the ground it would see."""

    camera: Camera
    footprint: BaseGeometry


@dataclass(frozen=True, slots=True)
class Solution:
    """The candidates the solver chose, the area they add, and how the search ended."""

    chosen: list[int]
    objective: float
    status: str
    seconds: float


def _grid(region: BaseGeometry, step: float) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Centres of the ``step``-metre grid cells that lie inside ``region``."""
    minx, miny, maxx, maxy = region.bounds
    gx, gy = np.meshgrid(
        np.arange(minx + step / 2, maxx, step), np.arange(miny + step / 2, maxy, step)
    )
    xs, ys = gx.ravel(), gy.ravel()
    inside = shapely.contains_xy(region, xs, ys)
    return xs[inside], ys[inside]


def demand_size(area_m2: float, reach: float, fewest: int = 2_000, most: int = 20_000) -> int:
    """How many demand points: one per (reach / 5)² m², so that a footprint holds a few dozen,
    within [fewest, most]. Coarser samples flatter the chosen cameras' sampled gain."""
    return int(min(most, max(fewest, area_m2 / (reach / 5) ** 2)))


def sample_demand(region: BaseGeometry, max_points: int) -> Demand:
    """A square grid of about ``max_points`` cell centres inside ``region``."""
    if region.is_empty or region.area <= 0:
        empty = np.empty(0)
        return Demand(empty, empty, empty)
    step = math.sqrt(region.area / max_points)
    xs, ys = _grid(region, step)
    return Demand(xs, ys, np.full(len(xs), step * step))


def candidate_positions(
    area: BaseGeometry, roads: list[BaseGeometry], reach: float, count: int
) -> list[tuple[float, float]]:
    """About ``count`` positions: a grid over the area grown by ``reach`` and points every grid
    step along the roads within it."""
    zone = area.buffer(reach)
    step = math.sqrt(zone.area / count)
    xs, ys = _grid(zone, step)
    positions = list(zip(xs.tolist(), ys.tolist(), strict=True))
    for road in roads:
        inside = road.intersection(zone)
        for part in shapely.get_parts(inside):
            for at in np.arange(0.0, part.length, step):
                point = part.interpolate(at)
                positions.append((point.x, point.y))
    return positions


def candidates_at(
    positions: list[tuple[float, float]], fov: float, far: float, obstacles: Obstacles
) -> list[Candidate]:
    """Eight headings at each position; the shadows are cast once per position."""
    found = []
    for x, y in positions:
        shade = obstacles.shade(Camera(x, y, 0.0, 360.0, far))
        for heading in HEADINGS:
            camera = Camera(x, y, heading, fov, far)
            seen = sector(camera)
            found.append(Candidate(camera, seen if shade is None else seen.difference(shade)))
    return found


def coverage_sets(candidates: list[Candidate], demand: Demand) -> list[NDArray[np.intp]]:
    """For each candidate, the indices of the demand points its footprint covers."""
    if not len(demand.xs) or not candidates:
        return [np.empty(0, dtype=np.intp) for _ in candidates]
    tree = shapely.STRtree(shapely.points(demand.xs, demand.ys))
    owner, point = tree.query([c.footprint for c in candidates], predicate="intersects")
    order = np.argsort(owner, kind="stable")
    owner, point = owner[order], point[order]
    bounds = np.searchsorted(owner, np.arange(len(candidates) + 1))
    return [point[bounds[j] : bounds[j + 1]] for j in range(len(candidates))]


def greedy(weights: NDArray[np.float64], covers: list[NDArray[np.intp]], count: int) -> list[int]:
    """Pick, ``count`` times, the candidate adding most still-unseen weight."""
    owner = np.repeat(np.arange(len(covers)), [len(c) for c in covers])
    flat = np.concatenate(covers) if covers else np.empty(0, dtype=np.intp)
    seen = np.zeros(len(weights), dtype=bool)
    chosen: list[int] = []
    for _ in range(min(count, len(covers))):
        gains = np.bincount(owner, weights=weights[flat] * ~seen[flat], minlength=len(covers))
        best = int(np.argmax(gains))
        if gains[best] <= 0:
            break
        chosen.append(best)
        seen[covers[best]] = True
    return chosen


def solve_mclp(
    weights: NDArray[np.float64],
    covers: list[NDArray[np.intp]],
    count: int,
    start: list[int],
    time_limit: float = 30.0,
) -> Solution:
    """The MIP above with HiGHS, starting from ``start`` (a feasible choice, e.g. greedy)."""
    began = time.perf_counter()
    n_cand, n_points = len(covers), len(weights)
    if not n_cand or not n_points:
        return Solution([], 0.0, "nothing to cover", 0.0)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_cand + n_points, n_points + 1
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = np.concatenate([np.zeros(n_cand), weights])
    lp.col_lower_ = np.zeros(n_cand + n_points)
    lp.col_upper_ = np.ones(n_cand + n_points)
    lp.row_lower_ = np.full(n_points + 1, -highspy.kHighsInf)
    lp.row_upper_ = np.concatenate([np.zeros(n_points), [float(count)]])
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n_cand + [
        highspy.HighsVarType.kContinuous
    ] * n_points
    # Column-wise: x_j has −1 in the row of each point it covers and +1 in the count row;
    # y_i has +1 in its own row.
    x_rows = [np.append(c, n_points) for c in covers]
    x_vals = [np.append(-np.ones(len(c)), 1.0) for c in covers]
    lengths = [len(r) for r in x_rows] + [1] * n_points
    matrix = lp.a_matrix_
    matrix.format_ = highspy.MatrixFormat.kColwise
    matrix.num_col_, matrix.num_row_ = lp.num_col_, lp.num_row_
    matrix.start_ = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    matrix.index_ = np.concatenate([*x_rows, np.arange(n_points)]).astype(np.int32)
    matrix.value_ = np.concatenate([*x_vals, np.ones(n_points)])
    lp.a_matrix_ = matrix

    highs = highspy.Highs()  # type: ignore[no-untyped-call]
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("time_limit", time_limit)
    highs.passModel(lp)
    warm = highspy.HighsSolution()
    x0 = np.zeros(n_cand)
    x0[start] = 1.0
    y0 = np.zeros(n_points)
    for j in start:
        y0[covers[j]] = 1.0
    warm.col_value = np.concatenate([x0, y0]).tolist()
    highs.setSolution(warm)
    highs.run()
    values = np.asarray(highs.getSolution().col_value[:n_cand])
    chosen = [int(j) for j in np.flatnonzero(values > 0.5)]
    return Solution(
        chosen=chosen,
        objective=float(highs.getInfo().objective_function_value),
        status=highs.modelStatusToString(highs.getModelStatus()),
        seconds=time.perf_counter() - began,
    )
