"""The coverage service: KPIs, blind spots and placement advice over an organisation's subtree,
and the banned-place check of a channel.

Each call but the banned-place check (a system check, ``banned_check.py``) checks the caller's
permission and that the organisation lies in their scope (through ``OrganisationService.get``),
reads the subtree's layers and channels, and computes in a worker thread: footprint unions and the
placement MIP are CPU work that must not hold the event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from vigil.catalog.organisations import OrganisationService
from vigil.coverage.areas import admin_area_under, channels_within
from vigil.coverage.banned import BannedOverlap
from vigil.coverage.banned_check import banned_overlaps_of
from vigil.coverage.crs import CoordinateSystem
from vigil.coverage.district import CoverageRule, District
from vigil.coverage.footprint import HD_PIXELS, SD_PIXELS, Camera, density_range
from vigil.coverage.hd import channel_hd, count_hd
from vigil.coverage.intact_kpi import intact_kpi, local_days
from vigil.coverage.kpis import Kpi, catalog_kpis, coverage_kpis, shared_kpi
from vigil.coverage.layers import checked_geometry, geometry_of
from vigil.coverage.measures import view_intersection
from vigil.coverage.placement import (
    candidate_positions,
    candidates_at,
    coverage_sets,
    demand_size,
    greedy,
    sample_demand,
    solve_mclp,
)
from vigil.coverage.projection import LocalPlane
from vigil.coverage.results import (
    AreaGap,
    BlindSpots,
    Footprint,
    IntersectionGap,
    KpiReport,
    PlacedCamera,
    PlacementAdvice,
    PlacementRequest,
)
from vigil.coverage.subtree import Subtree, load_subtree
from vigil.coverage.targets import Targets
from vigil.errors import Invalid, NotFound
from vigil.governance.permissions import Permission, Principal
from vigil.health.intact_rate import IntactRateService
from vigil.store.database import Database
from vigil.store.models import Channel, GisFeature, LayerKind

__all__ = ["BannedOverlap", "CoverageService", "PlacementRequest"]

MAX_PLACEMENT_AREA_M2 = 25e6  # 25 km²: a district's key area, not a province
DEFAULT_POSITIONS = 200
SOLVER_SECONDS = 20.0


SharedCounter = Callable[[list[Channel]], Awaitable[int | None]]
"""How many of these channels are shared upward and online (None: no upper platform registered)."""


class CoverageService:
    """Computes KPIs, blind spots and placement advice for an organisation's subtree."""

    def __init__(
        self,
        db: Database,
        organisations: OrganisationService,
        intact: IntactRateService,
        zone: ZoneInfo,
        targets: Targets | None = None,
        rule: CoverageRule | None = None,
    ) -> None:
        self._db = db
        self._organisations = organisations
        self._intact = intact
        self._zone = zone
        self.targets = targets or Targets()
        self._rule = rule or CoverageRule()
        self._shared: SharedCounter | None = None

    def count_shared_with(self, counter: SharedCounter) -> None:
        """Where the shared half of networking comes from (the cascade, built after this)."""
        self._shared = counter

    async def kpis(
        self,
        principal: Principal,
        org_id: str,
        start: datetime | None = None,
        end: datetime | None = None,
        industry: str | None = None,
        area_id: int | None = None,
    ) -> KpiReport:
        """Every KPI over the organisation's subtree (only ``industry``'s channels when given;
        only administrative area ``area_id`` of its layers when given, see ``areas.py``).

        Coverage and catalog figures describe the catalog and layers as they are now; the period
        applies to the figures built from history (the intact rate, over the local days it
        touches).
        """
        if start is not None and end is not None and start > end:
            raise Invalid("from must not be after to", code="period.order")
        tree = await self._load(principal, org_id, industry)
        area, counted, where = None, tree.channels, "under this organisation"
        if area_id is not None:
            org = await self._organisations.get(principal, org_id)
            async with self._db.session() as session:
                area = await admin_area_under(session, org.path, area_id)
            counted, where = channels_within(tree.channels, area), "in this area"
        days = local_days(start, end, self._zone, datetime.now(UTC))
        targets = self.targets
        intact = await intact_kpi(self._intact, counted, days, targets, where)
        shared = await self._shared(counted) if self._shared is not None else None

        def compute() -> dict[str, Kpi]:
            district = District(
                tree.features, tree.channels, self._rule, clip=area, pixels=tree.pixels
            )
            return {
                **coverage_kpis(district, targets, where),
                **catalog_kpis(counted, tree.online, targets, where, tree.sizes),
                **shared_kpi(shared, len(counted), targets, where),
                "intact_rate": intact,
            }

        figures = await asyncio.to_thread(compute)
        return KpiReport(org_id, start, end, figures, days, count_hd(counted, tree.sizes))

    async def blind_spots(self, principal: Principal, org_id: str) -> BlindSpots:
        """Key areas not fully seen, most unseen area first; intersections not counted, most
        missing parts (approaches and centre zone) first."""
        tree = await self._load(principal, org_id)
        district = District(tree.features, tree.channels, self._rule, pixels=tree.pixels)
        return await asyncio.to_thread(self._blind_spots, district)

    async def footprints(self, principal: Principal, org_id: str) -> list[Footprint]:
        """Every camera footprint under the organisation, the polygons the KPIs are made of."""
        tree = await self._load(principal, org_id)

        def compute() -> list[Footprint]:
            district = District(tree.features, tree.channels, self._rule, pixels=tree.pixels)
            out = []
            for channel, camera in district.placed:
                seen = district.footprint(camera)
                hd, basis = channel_hd(channel, tree.sizes)
                out.append(
                    Footprint(
                        channel.id,
                        channel.name,
                        hd,
                        basis,
                        district.pixels_of(channel),
                        camera.near,
                        camera.far,
                        seen.area,
                        None
                        if seen.is_empty
                        else shapely.geometry.mapping(district.plane.inverse(seen)),
                    )
                )
            return out

        return await asyncio.to_thread(compute)

    async def placement(self, principal: Principal, request: PlacementRequest) -> PlacementAdvice:
        """Where to put ``count`` more cameras to see most of the area that is unseen now."""
        if (request.area_id is None) == (request.polygon is None):
            raise Invalid("give exactly one of area_id and polygon")
        area, org_id = await self._placement_area(principal, request)
        tree = await self._load(principal, org_id)
        return await asyncio.to_thread(self._place, request, area, tree)

    async def banned_overlaps(self, channel_id: str) -> list[BannedOverlap]:
        """The banned places (every organisation's) the channel's footprint at the detection
        density overlaps, each with the picture columns that look at it, by feature ID.

        A system check: no principal, no scope. A channel without position, heading or field of
        view cannot be checked and yields ``[]``, as does a channel not on file.
        """
        return await banned_overlaps_of(self._db, channel_id)

    async def _load(
        self, principal: Principal, org_id: str, industry: str | None = None
    ) -> Subtree:
        principal.require(Permission.catalog_read)
        org = await self._organisations.get(principal, org_id)
        return await load_subtree(self._db, org.path, industry)

    async def _placement_area(
        self, principal: Principal, request: PlacementRequest
    ) -> tuple[BaseGeometry, str]:
        if request.polygon is not None:
            if request.organisation_id is None:
                raise Invalid("a polygon needs the organisation_id whose cameras and layers count")
            polygon = checked_geometry(
                request.polygon, frozenset({"Polygon"}), "polygon", CoordinateSystem.wgs84
            )
            return polygon, request.organisation_id
        async with self._db.session() as session:
            feature = await session.get(GisFeature, request.area_id)
        if feature is None or feature.kind not in (LayerKind.key_area, LayerKind.admin_area):
            raise NotFound(f"area {request.area_id} does not exist")
        if feature.organisation_id is None:
            raise Invalid(f"area {request.area_id} is filed under no organisation")
        return geometry_of(feature), feature.organisation_id

    def _blind_spots(self, district: District) -> BlindSpots:
        seen, plane = district.seen, district.plane
        areas = []
        for place in district.layers[LayerKind.key_area]:
            unseen = place.shape.difference(seen)
            if unseen.area > 1e-6 * place.shape.area:
                areas.append(
                    AreaGap(
                        place.feature.id,
                        place.feature.name,
                        place.feature.category,
                        place.shape.area,
                        unseen.area,
                        shapely.geometry.mapping(plane.inverse(unseen)),
                    )
                )
        roads, rule = district.approach_roads, district.rule.intersection
        crossings = []
        for place in district.layers[LayerKind.intersection]:
            view = view_intersection(place.shape, roads, seen, rule)
            if not view.counted:
                lon, lat = plane.to_lonlat(place.shape.x, place.shape.y)
                crossings.append(
                    IntersectionGap(
                        place.feature.id,
                        place.feature.name,
                        float(lon),
                        float(lat),
                        view.centre_seen,
                        view.approaches,
                        view.approaches_seen,
                    )
                )
        areas.sort(key=lambda a: (-a.uncovered_m2, a.feature_id))
        crossings.sort(
            key=lambda c: (
                -(c.approaches - c.approaches_seen + (not c.centre_seen)),
                c.feature_id,
            )
        )
        return BlindSpots(areas, crossings)

    def _place(
        self,
        request: PlacementRequest,
        area_wgs84: BaseGeometry,
        tree: Subtree,
    ) -> PlacementAdvice:
        plane = LocalPlane.around([area_wgs84])
        district = District(tree.features, tree.channels, self._rule, plane, pixels=tree.pixels)
        area = plane.forward(area_wgs84)
        if area.area <= 0:
            raise Invalid("the area has no surface")
        if area.area > MAX_PLACEMENT_AREA_M2:
            raise Invalid(f"area is {area.area / 1e6:.1f} km²; placement takes at most 25 km²")
        unseen = area.difference(district.seen)
        reach = density_range(HD_PIXELS if request.hd else SD_PIXELS, request.fov, request.level)
        demand = sample_demand(unseen, demand_size(unseen.area, reach))
        if request.candidates is not None:
            positions = [plane.to_xy(lon, lat) for lon, lat in request.candidates]
        else:
            roads = district.shapes(LayerKind.road)
            positions = candidate_positions(area, roads, reach, DEFAULT_POSITIONS)
        candidates = candidates_at(positions, request.fov, reach, district.obstacles)
        covers = coverage_sets(candidates, demand)
        start = greedy(demand.weights, covers, request.count)
        solution = solve_mclp(demand.weights, covers, request.count, start, SOLVER_SECONDS)
        cameras = _ordered_gains(
            [candidates[j].camera for j in solution.chosen],
            [candidates[j].footprint for j in solution.chosen],
            unseen,
        )
        return PlacementAdvice(
            area_m2=area.area,
            covered_before_m2=area.area - unseen.area,
            cameras=[
                PlacedCamera(*plane.to_lonlat(c.x, c.y), c.heading, c.fov, c.far, gain)
                for c, gain in cameras
            ],
            candidates=len(candidates),
            demand_points=len(demand.xs),
            objective_m2=_covered_weight(demand.weights, covers, solution.chosen),
            greedy_objective_m2=_covered_weight(demand.weights, covers, start),
            status=solution.status,
            seconds=solution.seconds,
        )


def _covered_weight(weights: np.ndarray, covers: list[np.ndarray], chosen: list[int]) -> float:
    if not chosen:
        return 0.0
    return float(weights[np.unique(np.concatenate([covers[j] for j in chosen]))].sum())


def _ordered_gains(
    cameras: list[Camera], footprints: list[BaseGeometry], unseen: BaseGeometry
) -> list[tuple[Camera, float]]:
    """The chosen cameras, each with the unseen area (m², exact geometry) it adds to those
    before it, largest addition first."""
    remaining = unseen
    left = list(range(len(cameras)))
    ordered = []
    while left:
        gains = [footprints[i].intersection(remaining).area for i in left]
        best = left.pop(int(np.argmax(gains)))
        ordered.append((cameras[best], max(gains)))
        remaining = remaining.difference(footprints[best])
    return ordered
