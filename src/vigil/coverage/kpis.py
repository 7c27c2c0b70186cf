"""The KPIs of the four targets, each a value in 0–1 or null with the reason, beside its target.

Definitions are in docs/coverage.md; in short:

- ``coverage_rate``: share of the key areas' area seen by the union of camera footprints;
- ``road_coverage``: share of road length seen;
- ``intersection_coverage``: share of intersections whose centre zone and every approach are seen;
- ``hd_ratio``: HD channels over channels on file, HD by the size seen in the stream (at least
  1280×720) where seen, by the catalog flag otherwise (``hd.py``);
- ``networking_rate``: channels online on the platform (channel and its device online) over
  channels on file;
- ``shared_rate``: the "shared upward" half of networking: channels shared with a registered
  upper platform and online, over channels on file (``vigil.gb28181.cascade.networking``); null
  while no upper platform is registered;
- ``intact_rate``: intact camera-days over camera-days (``intact_kpi.py``, from ``vigil.health``).

Targets come from ``targets.py`` (defaults, and the site's ``VIGIL_KPI_TARGETS``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from vigil.coverage.district import District
from vigil.coverage.hd import Size, count_hd
from vigil.coverage.measures import area_share, length_share, view_intersection
from vigil.coverage.targets import Targets
from vigil.errors import Param
from vigil.store.models import Channel, LayerKind

__all__ = ["Kpi", "catalog_kpis", "coverage_kpis", "pending_kpis", "shared_kpi"]

DEFAULT = Targets()


@dataclass(frozen=True, slots=True)
class Kpi:
    """One KPI's value (or why there is none) beside its target."""

    value: float | None
    target: float
    reason: str | None = None
    """Why ``value`` is None, in English."""
    reason_code: str | None = None
    """The same as a code the console words: ``kpi.no_key_areas``, ``kpi.no_roads``,
    ``kpi.no_intersections``, ``kpi.no_channels``, ``kpi.no_upper_platform``,
    ``kpi.no_history`` (with ``reason_params``)."""
    reason_params: Mapping[str, Param] = field(default_factory=dict)


def _kpi(name: str, value: float | None, reason_if_none: str, targets: Targets, code: str) -> Kpi:
    if value is not None:
        return Kpi(value, targets[name])
    return Kpi(None, targets[name], reason_if_none, reason_code=code)


def coverage_kpis(
    district: District, targets: Targets = DEFAULT, where: str = "under this organisation"
) -> dict[str, Kpi]:
    """Key-area, road and intersection coverage by the district's cameras."""
    seen = district.seen
    rule = district.rule.intersection
    roads = district.shapes(LayerKind.road)
    crossings = district.shapes(LayerKind.intersection)
    approaches = district.approach_roads
    counted = sum(view_intersection(p, approaches, seen, rule).counted for p in crossings)
    return {
        "coverage_rate": _kpi(
            "coverage_rate",
            area_share(district.shapes(LayerKind.key_area), seen),
            f"no key area layer {where}",
            targets,
            code="kpi.no_key_areas",
        ),
        "road_coverage": _kpi(
            "road_coverage",
            length_share(roads, seen),
            f"no road layer {where}",
            targets,
            code="kpi.no_roads",
        ),
        "intersection_coverage": _kpi(
            "intersection_coverage",
            counted / len(crossings) if crossings else None,
            f"no intersection layer {where}",
            targets,
            code="kpi.no_intersections",
        ),
    }


def catalog_kpis(
    channels: list[Channel],
    online_devices: set[str],
    targets: Targets = DEFAULT,
    where: str = "under this organisation",
    sizes: Mapping[str, Size] | None = None,
) -> dict[str, Kpi]:
    """HD ratio and networking rate over the channels on file; ``sizes`` are the stream sizes
    seen (channel ID → width, height)."""
    total = len(channels)
    hd = count_hd(channels, sizes or {}).hd
    online = sum(c.status == "online" and c.device_id in online_devices for c in channels)
    none = f"no channel on file {where}"
    return {
        "hd_ratio": _kpi(
            "hd_ratio", hd / total if total else None, none, targets, code="kpi.no_channels"
        ),
        "networking_rate": _kpi(
            "networking_rate",
            online / total if total else None,
            none,
            targets,
            code="kpi.no_channels",
        ),
    }


def pending_kpis(targets: Targets = DEFAULT) -> dict[str, Kpi]:
    """The figures whose source does not exist yet, with why."""
    return {
        "shared_rate": Kpi(
            None,
            targets["shared_rate"],
            "no upper platform registered (cascade)",
            reason_code="kpi.no_upper_platform",
        ),
    }


def shared_kpi(
    shared: int | None,
    total: int,
    targets: Targets = DEFAULT,
    where: str = "under this organisation",
) -> dict[str, Kpi]:
    """``shared`` of the ``total`` channels on file reach an upper platform and are online;
    None when no upper platform is registered."""
    if shared is None:
        return pending_kpis(targets)
    value = shared / total if total else None
    none = f"no channel on file {where}"
    return {"shared_rate": _kpi("shared_rate", value, none, targets, code="kpi.no_channels")}
