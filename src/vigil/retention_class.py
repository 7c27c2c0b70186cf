"""Retention classes: how long a channel's recordings are kept, within legal bounds.

Each channel has one class (``standard``, ``key_area``, ``traffic``, ``sensitive``); the days of
each class are settings. Public-security practice under GB/T 28181 asks that video be kept at
least 30 days, and data-protection rules that it not be kept longer than needed, so every class's
days must lie in ``[minimum, maximum]`` (settings ``retention_min_days``/``retention_max_days``).
The age rule never deletes a segment younger than the minimum, whatever its class says; only
disk pressure may, and only an unlocked segment.

Kept free of other Vigil imports so that the settings can validate with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from enum import StrEnum

__all__ = ["DEFAULT_DAYS", "RetentionClass", "check_class_days", "keep_for"]


class RetentionClass(StrEnum):
    """How long a channel's recordings are kept, by what the channel watches."""

    standard = "standard"
    key_area = "key_area"
    traffic = "traffic"
    sensitive = "sensitive"


DEFAULT_DAYS: dict[str, int] = {
    "standard": 30,
    "key_area": 90,
    "traffic": 30,
    "sensitive": 90,
}


def check_class_days(days: Mapping[str, int], minimum: int, maximum: int) -> None:
    """Raise ``ValueError`` naming the first class, unknown or outside ``[minimum, maximum]``."""
    if not 0 < minimum <= maximum:
        raise ValueError(
            f"retention needs 0 < retention_min_days ({minimum}) <= retention_max_days ({maximum})"
        )
    known = {c.value for c in RetentionClass}
    for name, value in days.items():
        if name not in known:
            raise ValueError(
                f"unknown retention class {name!r}; the classes are {', '.join(sorted(known))}"
            )
        if not minimum <= value <= maximum:
            raise ValueError(
                f"retention class {name!r} keeps {value} days, outside the legal bounds "
                f"[{minimum}, {maximum}] (retention_min_days, retention_max_days)"
            )


def keep_for(
    retention_class: str,
    days: Mapping[str, int],
    minimum: timedelta,
    default: timedelta | None,
) -> timedelta | None:
    """How long the age rule keeps a class's segments: its days (``default`` for a class
    without days), never under ``minimum``; None where nothing is deleted by age."""
    chosen = timedelta(days=days[retention_class]) if retention_class in days else default
    if chosen is None:
        return None
    return max(chosen, minimum)
