"""The target line beside each KPI, and the settings that move it.

Defaults: the policy's 100 % for key-area coverage, HD and networking; Vigil's 100 % for roads,
intersections and the shared half of networking; for the intact rate the policy's 98 % in key public
areas and 95 % in industry sites (the split of issue 7: a set of cameras all watching key public
areas is held to 98 %, any other to 95 %). ``VIGIL_KPI_TARGETS`` overrides any of them; this
module imports nothing heavy, so the settings can check names and ranges against it.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["DEFAULT_TARGETS", "Targets", "check_overrides"]

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


class Targets:
    """The defaults with a site's overrides applied."""

    def __init__(self, overrides: Mapping[str, float] | None = None) -> None:
        check_overrides(overrides or {})
        self._values = {**DEFAULT_TARGETS, **(overrides or {})}

    def __getitem__(self, name: str) -> float:
        return self._values[name]

    def intact(self, all_key_areas: bool) -> float:
        """The intact-rate target of a set of cameras: key public areas' when every one of them
        watches one, industry sites' otherwise."""
        return self["intact_rate"] if all_key_areas else self["intact_rate_industry"]

    def as_dict(self) -> dict[str, float]:
        return dict(self._values)
