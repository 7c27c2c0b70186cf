"""The target line beside each KPI, and the settings that move it.

Defaults: the policy's 100 % for key-area coverage, HD and networking; Vigil's 100 % for roads,
intersections and the shared half of networking; for the intact rate the policy's 98 % in key public
areas and 95 % in industry sites (the split of issue 7: a set of cameras all watching key public
areas is held to 98 %, any other to 95 %). ``VIGIL_KPI_TARGETS`` overrides any of them. The
defaults and the check of an override live with the settings (:mod:`vigil.config`), which import
no service; this module applies them.
"""

from __future__ import annotations

from collections.abc import Mapping

from vigil.config import DEFAULT_TARGETS, check_overrides

__all__ = ["DEFAULT_TARGETS", "Targets", "check_overrides"]


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
