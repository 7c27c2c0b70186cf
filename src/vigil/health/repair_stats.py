"""Time-to-repair statistics of work orders (工单), per maintainer unit: pure, over plain rows.

An order's time to repair is ``closed_at - opened_at`` (it closes when its fault clears). Orders
still open count in ``count`` and ``open`` but have no time yet, so they are left out of the
figures rather than guessed at. Percentiles interpolate linearly between the closest ranks
(NumPy's default), so the median of an even count is the mean of the two middle values.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import numpy as np

__all__ = ["RepairRow", "RepairStats", "repair_stats"]

RepairRow = tuple[str | None, datetime, datetime | None]  # assignee, opened_at, closed_at


@dataclass(frozen=True, slots=True)
class RepairStats:
    """One maintainer unit's orders (``assignee`` None: the channel had none) and their hours."""

    assignee: str | None
    count: int
    open: int
    mean_hours: float | None
    median_hours: float | None
    p90_hours: float | None


def _stats(assignee: str | None, rows: list[RepairRow]) -> RepairStats:
    hours = np.array(
        [(closed - opened).total_seconds() / 3600 for _, opened, closed in rows if closed],
        dtype=np.float64,
    )
    still_open = sum(closed is None for _, _, closed in rows)
    if not hours.size:
        return RepairStats(assignee, len(rows), still_open, None, None, None)
    return RepairStats(
        assignee,
        len(rows),
        still_open,
        float(hours.mean()),
        float(np.percentile(hours, 50)),
        float(np.percentile(hours, 90)),
    )


def repair_stats(rows: Iterable[RepairRow]) -> tuple[list[RepairStats], RepairStats]:
    """Per maintainer unit (units by name, then the orders without one), and all together."""
    every = list(rows)
    units: dict[str | None, list[RepairRow]] = {}
    for row in every:
        units.setdefault(row[0], []).append(row)
    order = sorted(units, key=lambda unit: (unit is None, unit or ""))
    return [_stats(unit, units[unit]) for unit in order], _stats(None, every)
