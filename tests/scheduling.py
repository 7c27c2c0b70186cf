"""The order of the collected tests under pytest-xdist, so that the long ones do not queue up.

``make test`` runs ``--dist worksteal``: each worker starts with one contiguous slice of the
collection (equal in count, not in time) and an idle worker later steals the back half of the
longest queue (by count). Left in file order, that gave one worker every browser test (the
``tests/e2e`` modules come first: about 1,000 s of them) and left the schemathesis runs, which
come late, to end the run while the other workers were done. Here the collection is laid out
so that each slice holds about the same expected time, its long tests first:

- the expected time of each test is read from ``tests/durations.json`` (seconds, measured on
  this machine kind: ``tools/test_durations.py`` writes it from a run's JUnit XML); a test not in
  it counts as ``DEFAULT`` seconds, a unit test as ``UNIT``;
- a module is kept together (its module-scoped fixtures start once) unless it alone is longer
  than ``SPLIT`` seconds and no one of its tests carries half of that (a shared fixture's cost);
- the browser modules are never split (a test may go on from the state the one before left in
  the demo) and go to ``BROWSER_LANES`` slices only, because each worker that runs one starts a
  demo node of its own for the rest of the run;
- the long units are placed longest first on the slice with the least expected time (LPT);
  the short tests then fill each slice up to the count xdist will give it, in file order.

Only the order changes: every collected test runs. Without xdist (the ``alone`` run, a single
file) the order is pytest's.
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Iterable
from pathlib import Path

import pytest

__all__ = ["lay_out", "slice_sizes"]

DURATIONS = Path(__file__).with_name("durations.json")
DEFAULT = 1.0
UNIT = 0.05
#: A module expected to take longer than this is split into its tests.
SPLIT = 120.0
#: A unit expected to take at least this long is placed; shorter ones fill.
PLACED = 5.0
BROWSER = "tests/e2e/"
BROWSER_LANES = 2


def slice_sizes(count: int, workers: int) -> list[int]:
    """How many tests worksteal's first distribution gives each worker, in order."""
    sizes = []
    for index in range(workers):
        size = count // (workers - index)
        sizes.append(size)
        count -= size
    return sizes


def _expected(nodeid: str, durations: dict[str, float]) -> float:
    if nodeid in durations:
        return durations[nodeid]
    return UNIT if nodeid.startswith("tests/unit/") else DEFAULT


def _units(ids: list[str], durations: dict[str, float]) -> list[list[int]]:
    """Indexes of ``ids`` grouped by module; a long module of many long tests, one test a unit."""
    modules: dict[str, list[int]] = {}
    for index, nodeid in enumerate(ids):
        modules.setdefault(nodeid.split("::")[0], []).append(index)
    units: list[list[int]] = []
    for indexes in modules.values():
        seconds = [_expected(ids[i], durations) for i in indexes]
        # Not where one test carries most of it (a module fixture all the tests share), nor a
        # browser module (its tests go on from the state the one before left in the demo).
        browser = ids[indexes[0]].startswith(BROWSER)
        if not browser and sum(seconds) > SPLIT and max(seconds) < sum(seconds) / 2:
            units.extend([i] for i in indexes)
        else:
            units.append(indexes)
    return units


def lay_out(ids: list[str], durations: dict[str, float], workers: int) -> list[int]:
    """A permutation of ``range(len(ids))``: the order to run ``ids`` in on ``workers``."""
    units = _units(ids, durations)

    def weight(unit: list[int]) -> float:
        return sum(_expected(ids[i], durations) for i in unit)

    placed = sorted((u for u in units if weight(u) >= PLACED), key=lambda u: (-weight(u), u[0]))
    slices: list[list[int]] = [[] for _ in range(workers)]
    load = [0.0] * workers
    lanes = range(min(BROWSER_LANES, workers))
    for unit in placed:
        browser = ids[unit[0]].startswith(BROWSER)
        choice = min(lanes if browser else range(workers), key=lambda s: (load[s], s))
        slices[choice].extend(unit)
        load[choice] += weight(unit)
    taken = {i for unit in placed for i in unit}
    fill = iter(sorted(set(range(len(ids))) - taken))
    order: list[int] = []
    for size, chosen in zip(slice_sizes(len(ids), workers), slices, strict=True):
        order.extend(chosen)
        order.extend(itertools.islice(fill, max(0, size - len(chosen))))
    order.extend(fill)
    return order


def _durations() -> dict[str, float]:
    if not DURATIONS.is_file():
        return {}
    data: dict[str, float] = json.loads(DURATIONS.read_text())
    return data


def reorder(items: list[pytest.Item], workers: Iterable[str]) -> None:
    """Lay ``items`` out in place for the given number of workers (an xdist worker's count)."""
    count = int(next(iter(workers), "0") or "0")
    if count < 2:
        return
    order = lay_out([item.nodeid for item in items], _durations(), count)
    items[:] = [items[i] for i in order]


@pytest.hookimpl(trylast=True)  # after ``-m``/``-k`` have deselected what will not run
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Workers collect; each must lay out the same order (it depends on the ids alone).
    reorder(items, [os.environ.get("PYTEST_XDIST_WORKER_COUNT", "")])
