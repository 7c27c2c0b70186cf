"""KPIs, blind spots, placement advice and the filing report on the wire."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from vigil.api.schemas.catalog import Latitude, Longitude, Unit
from vigil.api.schemas.common import Strict, Text64, Text255
from vigil.api.schemas.gis import PolygonGeometry
from vigil.api.schemas.mirror import fields_of
from vigil.coverage.footprint import DensityLevel
from vigil.coverage.hd import HdBasis
from vigil.coverage.results import IntersectionGap
from vigil.coverage.system_filing import SystemKind


class KpiValue(BaseModel):
    """One KPI: a share from 0 to 1, or null with the reason it cannot be computed."""

    value: float | None = Field(description="0–1, or null when it cannot be computed")
    reason: str | None = Field(None, description="Why the value is null, in English")
    reason_code: str | None = Field(
        None, description="Why the value is null, as a code (kpi.no_channels, …)"
    )
    reason_params: dict[str, str | int | float | bool | None] = Field(
        default_factory=dict, description="The figures of reason_code"
    )
    target: float


class HdBasisOut(BaseModel):
    """How the HD ratio's channels were judged."""

    stream: int = Field(description="Channels judged by the picture size seen in their stream")
    catalog: int = Field(description="Channels never seen, judged by their catalog flag")


class KpiReportOut(BaseModel):
    """The networking KPIs of an organisation (optionally one area or industry)."""

    organisation_id: str
    area_id: int | None = Field(description="The administrative area, when asked for one")
    industry: str | None = Field(description="The industry code, when asked for one")
    from_: datetime | None = Field(serialization_alias="from")
    to: datetime | None
    coverage_rate: KpiValue
    road_coverage: KpiValue
    intersection_coverage: KpiValue
    hd_ratio: KpiValue
    networking_rate: KpiValue
    shared_rate: KpiValue
    intact_rate: KpiValue
    intact_from: date = Field(description="First local day the intact rate counts")
    intact_to: date = Field(description="Last local day the intact rate counts")
    hd_basis: HdBasisOut = Field(description="The basis of each channel in the HD ratio")


class FootprintProperties(BaseModel):
    """What the map shows beside a camera's footprint: its channel, name and HD flag."""

    channel_id: str
    name: str
    hd: bool
    hd_basis: HdBasis = Field(description="stream: the size seen in it; catalog: the flag")
    pixels: int = Field(description="Horizontal pixels the reach is computed with")
    near_m: float = Field(description="Nearest ground distance seen (m)")
    far_m: float = Field(description="Farthest ground distance at the required density (m)")
    area_m2: float = Field(description="Ground seen, after building shadows (m²)")


class FootprintOut(BaseModel):
    """One camera's footprint as a GeoJSON feature."""

    type: Literal["Feature"] = "Feature"
    id: str
    geometry: dict[str, Any] | None = Field(description="WGS-84; null when it sees nothing")
    properties: FootprintProperties


class FootprintsOut(BaseModel):
    """The footprints of the cameras in view, as a GeoJSON feature collection."""

    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[FootprintOut]


class AreaGapOut(BaseModel):
    """A key area and how much of it no camera sees."""

    id: int
    name: str
    category: str | None
    area_m2: float
    uncovered_m2: float
    uncovered_share: float
    uncovered: dict[str, Any] = Field(description="The unseen part, GeoJSON in WGS-84")


class IntersectionGapOut(BaseModel):
    """A road intersection that no camera sees."""

    __annotations__ = {"id": int, **fields_of(IntersectionGap, drop={"feature_id"})}


class BlindSpotsOut(BaseModel):
    """What an organisation's cameras leave unseen: key areas and intersections."""

    organisation_id: str
    key_areas: list[AreaGapOut]
    intersections: list[IntersectionGapOut]


Position = Annotated[tuple[Longitude, Latitude], Field(description="[longitude, latitude]")]


class PlacementIn(Strict):
    """A request for suggested camera positions in an area or polygon."""

    count: int = Field(ge=1, le=20, description="How many cameras to add")
    area_id: int | None = Field(None, ge=1, le=2**31 - 1, description="A key or admin area")
    polygon: PolygonGeometry | None = Field(None, description="Or any polygon, WGS-84")
    organisation_id: Annotated[str, Field(pattern=r"^[0-9]{1,20}$")] | None = Field(
        None, description="Whose cameras and buildings count, with a polygon"
    )
    candidates: Annotated[list[Position], Field(min_length=1, max_length=1000)] | None = Field(
        None, description="Candidate positions (WGS-84); default a grid and road-side points"
    )
    fov: float = Field(60.0, gt=0, lt=180, description="Horizontal field of view, degrees")
    hd: bool = True
    level: DensityLevel = DensityLevel.observation


class PlacedCameraOut(BaseModel):
    """One suggested camera: where it stands, where it looks and what it adds."""

    longitude: float
    latitude: float
    heading: float
    fov: float
    range_m: float
    gain_m2: float = Field(description="Unseen area it adds to the cameras listed before it")
    gain: float = Field(description="gain_m2 as a share of the area")


class PlacementOut(BaseModel):
    """Suggested cameras for an area, with its coverage before and after them."""

    area_m2: float
    covered_before: float
    covered_after: float
    cameras: list[PlacedCameraOut]
    candidates: int
    demand_points: int
    objective_m2: float = Field(description="Sampled area the MIP's choice sees")
    greedy_objective_m2: float = Field(description="Sampled area a greedy choice sees")
    status: str
    seconds: float


class FlaggedChannelOut(BaseModel):
    """A channel whose filing record lacks fields the standard requires."""

    id: str
    name: str
    organisation_id: str | None
    missing: list[str]


class SystemFilingIn(Strict):
    """The whole filing of a device or platform; a field left out is empty."""

    owner_unit: Unit | None = None
    builder_unit: Unit | None = None
    maintainer_unit: Unit | None = None
    purpose: Text255 | None = None
    legal_basis: Text255 | None = None
    filing_number: Text64 | None = None


class SystemFilingOut(BaseModel):
    """A device's or platform's filing record (owner, builder, maintainer …)."""

    kind: SystemKind
    id: str
    name: str
    organisation_id: str | None
    owner_unit: str | None
    builder_unit: str | None
    maintainer_unit: str | None
    purpose: str | None
    legal_basis: str | None
    filing_number: str | None
    missing: list[str] = Field(description="The filing fields left empty")


class FlaggedSystemOut(BaseModel):
    """A device or platform whose filing record lacks required fields."""

    kind: SystemKind
    id: str
    name: str
    organisation_id: str | None
    missing: list[str]


class FilingReportOut(BaseModel):
    """How complete an organisation's filing records are, with what is missing."""

    organisation_id: str
    channels: int
    flagged: list[FlaggedChannelOut]
    systems: int = Field(
        description="Devices under the organisation, and platforms for a caller who sees all"
    )
    flagged_systems: list[FlaggedSystemOut]
