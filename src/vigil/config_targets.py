"""The target line beside each KPI and the check of an operator's overrides (``kpi_targets``).

Part of the settings (:mod:`vigil.config` re-exports both names); :mod:`vigil.coverage.targets`
draws the lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["DEFAULT_TARGETS", "check_overrides"]


#: The target line beside each KPI (see :mod:`vigil.coverage.targets`); ``kpi_targets`` moves it.
DEFAULT_TARGETS: Mapping[str, float] = MappingProxyType(
    {
        "coverage_rate": 1.0,
        "road_coverage": 1.0,
        "intersection_coverage": 1.0,
        "hd_ratio": 1.0,
        "networking_rate": 1.0,
        "shared_rate": 1.0,
        "intact_rate": 0.98,
        "intact_rate_industry": 0.95,
    }
)


def check_overrides(overrides: Mapping[str, float]) -> None:
    """``ValueError`` naming the first unknown KPI or value outside (0, 1]."""
    for name, value in overrides.items():
        if name not in DEFAULT_TARGETS:
            raise ValueError(f"unknown KPI {name!r}; known: {', '.join(DEFAULT_TARGETS)}")
        if not 0 < value <= 1:
            raise ValueError(f"target of {name} must lie in (0, 1], got {value}")
