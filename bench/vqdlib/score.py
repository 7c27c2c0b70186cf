"""Counting verdicts: recall and precision per fault and severity, with Wilson intervals.

Verdicts are per round (no debounce). Recall of a fault at a severity is the share of its rounds
on which it was reported. Precision of a fault at a severity counts that severity's hits against
every false report of the fault on any other round (another fault at any severity, or an
unimpaired one), so it is the precision an operator sees if every fault were that severe.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = ["Rate", "Tally", "choose", "wilson"]

_Z = 1.959964  # 95 %


def wilson(k: int, n: int) -> tuple[float, float]:
    """The 95 % Wilson score interval of ``k`` successes in ``n`` trials ((0, 1) when n is 0)."""
    if n == 0:
        return 0.0, 1.0
    p = k / n
    centre = (p + _Z * _Z / (2 * n)) / (1 + _Z * _Z / n)
    half = _Z * math.sqrt(p * (1 - p) / n + _Z * _Z / (4 * n * n)) / (1 + _Z * _Z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Rate:
    """``k`` of ``n``: the share and its interval (``value`` is None when n is 0)."""

    k: int
    n: int

    @property
    def value(self) -> float | None:
        return self.k / self.n if self.n else None

    def as_json(self) -> dict[str, object]:
        low, high = wilson(self.k, self.n)
        value = self.value
        return {
            "value": None if value is None else round(value, 3),
            "ci95": [round(low, 3), round(high, 3)],
            "k": self.k,
            "n": self.n,
        }

    def __str__(self) -> str:
        if not self.n:
            return f"{'—':>17}"
        low, high = wilson(self.k, self.n)
        return f"{self.k / self.n:5.2f} [{low:.2f},{high:.2f}]"


@dataclass
class Tally:
    hits: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    totals: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    false: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    confused: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: (kind, camera) → false reports of the kind on that camera's rounds
    false_on: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    negatives: int = 0
    negatives_alarmed: int = 0

    def count(self, label: str, severity: str, found: Iterable[str], camera: str = "") -> None:
        found = set(found)
        if severity:
            self.totals[label, severity] += 1
            self.hits[label, severity] += label in found
        else:
            self.negatives += 1
            self.negatives_alarmed += bool(found)
        for kind in found - {label}:
            self.false[kind] += 1
            self.confused[kind].add(f"{label}/{severity or '-'}")
            self.false_on[kind, camera] += 1

    def recall(self, kind: str, severity: str) -> Rate:
        return Rate(self.hits[kind, severity], self.totals[kind, severity])

    def precision(self, kind: str, severity: str) -> Rate:
        hits = self.hits[kind, severity]
        return Rate(hits, hits + self.false[kind])

    def sampled(self, kind: str) -> bool:
        return any(self.totals[k] for k in self.totals if k[0] == kind)

    def f1(self, kind: str) -> float:
        """F1 of ``kind`` over all its severities together (what a threshold is chosen by)."""
        hits = sum(v for (k, _), v in self.hits.items() if k == kind)
        total = sum(v for (k, _), v in self.totals.items() if k == kind)
        reported = hits + self.false[kind]
        return 2 * hits / (total + reported) if total + reported else 0.0

    def false_alarms(self) -> Rate:
        return Rate(self.negatives_alarmed, self.negatives)


def choose(tallies: dict[float, Tally], kind: str) -> float:
    """The candidate whose tally scores best (F1) on ``kind``; ties go to the first listed."""
    return max(tallies, key=lambda candidate: tallies[candidate].f1(kind))
