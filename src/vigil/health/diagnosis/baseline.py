"""A camera's own healthy history of each measure: running median and MAD.

A figure is only bad against what is normal for that camera (a tunnel camera is always darker, a
park camera always greener than a street one). Each measure keeps the last ``window`` values from
rounds that found no fault; until ``min_samples`` are in, a detector uses its fixed prior instead.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

__all__ = ["Baseline", "Spread"]

#: MAD × this estimates a normal distribution's standard deviation.
_MAD_TO_SIGMA = 1.4826


@dataclass(frozen=True, slots=True)
class Spread:
    """Where a measure normally is: median and robust standard deviation (1.4826 × MAD)."""

    median: float
    sigma: float


@dataclass
class Baseline:
    """Healthy values per measure name, newest last."""

    window: int = 50
    min_samples: int = 3
    history: dict[str, deque[float]] = field(default_factory=dict)

    def learn(self, values: Mapping[str, float]) -> None:
        for name, value in values.items():
            self.history.setdefault(name, deque(maxlen=self.window)).append(float(value))

    @property
    def ready(self) -> bool:
        """Enough history for relative thresholds (until then, priors apply)."""
        return bool(self.history) and all(len(v) >= self.min_samples for v in self.history.values())

    def spread(self, name: str) -> Spread | None:
        """The measure's median and robust sigma, or None while there is too little history."""
        values = self.history.get(name)
        if values is None or len(values) < self.min_samples:
            return None
        a = np.fromiter(values, dtype=np.float64)
        median = float(np.median(a))
        return Spread(median, _MAD_TO_SIGMA * float(np.median(np.abs(a - median))))

    def to_json(self) -> dict[str, list[float]]:
        return {name: list(values) for name, values in self.history.items()}

    @classmethod
    def from_json(cls, data: Mapping[str, Iterable[float]], window: int = 50) -> Baseline:
        baseline = cls(window=window)
        for name, values in data.items():
            baseline.history[name] = deque((float(v) for v in values), maxlen=window)
        return baseline
