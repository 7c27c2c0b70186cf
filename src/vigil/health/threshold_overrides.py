"""A channel's own diagnosis thresholds: the node's defaults with some fields overridden.

An operator who knows a camera (a tunnel that is always dark, a lens that always shows a little
noise) sets the few figures that differ; the rest follow the node's defaults as they change.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping

from vigil.errors import Invalid
from vigil.health.diagnosis import Thresholds

__all__ = ["THRESHOLD_NAMES", "with_overrides"]

THRESHOLD_NAMES = frozenset(f.name for f in dataclasses.fields(Thresholds))


def with_overrides(base: Thresholds, overrides: Mapping[str, float]) -> Thresholds:
    """``base`` with ``overrides`` applied; an unknown name or a value that is not a finite
    number ≥ 0 is :class:`Invalid`."""
    unknown = sorted(set(overrides) - THRESHOLD_NAMES)
    if unknown:
        raise Invalid(f"unknown threshold(s) {', '.join(unknown)}")
    for name, value in overrides.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise Invalid(f"threshold {name} must be a number")
        if not math.isfinite(value) or value < 0:
            raise Invalid(f"threshold {name} must be a finite number ≥ 0, got {value}")
    return dataclasses.replace(base, **{k: float(v) for k, v in overrides.items()})
