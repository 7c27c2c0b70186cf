"""Coverage: GIS layers, camera field of view, coverage and networking KPIs, the filing registry,
and which part of a camera's picture looks at a banned place.

The names below are importable from the package itself (``from vigil.coverage import
CoverageService``), each on first use (:pep:`562`); the other parts may still import the
submodules they use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vigil.lazy import lazy_exports

if TYPE_CHECKING:
    from vigil.coverage.banned import BannedOverlap, picture_columns
    from vigil.coverage.service import CoverageService

#: Each public name and the module inside ``vigil.coverage`` that defines it.
EXPORTS: dict[str, str] = {
    "CoverageService": "service",
    # The banned-place check: ``CoverageService.banned_overlaps(channel_id)`` and what it returns
    "BannedOverlap": "banned",
    "picture_columns": "banned",
}

__all__ = ["BannedOverlap", "CoverageService", "picture_columns"]

__getattr__, __dir__ = lazy_exports(__name__, EXPORTS, globals(), __all__)
