"""GeoJSON (RFC 7946) on the wire: what a layer import accepts and an export returns."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from vigil.api.schemas.common import printable

MAX_POINTS = 100_000

Ordinate = Annotated[float, Field(allow_inf_nan=False)]
Position = Annotated[list[Ordinate], Field(min_length=2, max_length=3)]
Line = Annotated[list[Position], Field(min_length=2, max_length=MAX_POINTS)]
Ring = Annotated[list[Position], Field(min_length=4, max_length=MAX_POINTS)]
Rings = Annotated[list[Ring], Field(min_length=1, max_length=1000)]


class Tolerant(BaseModel):
    """GeoJSON objects may carry foreign members (``bbox``, ``crs``, ``id``); they are ignored."""

    model_config = ConfigDict(extra="ignore")


class PointGeometry(Tolerant):
    """A GeoJSON Point (WGS-84)."""

    type: Literal["Point"]
    coordinates: Position


class LineStringGeometry(Tolerant):
    """A GeoJSON LineString (WGS-84)."""

    type: Literal["LineString"]
    coordinates: Line


class MultiLineStringGeometry(Tolerant):
    """A GeoJSON MultiLineString (WGS-84)."""

    type: Literal["MultiLineString"]
    coordinates: Annotated[list[Line], Field(min_length=1, max_length=10_000)]


class PolygonGeometry(Tolerant):
    """A GeoJSON Polygon (WGS-84)."""

    type: Literal["Polygon"]
    coordinates: Rings


class MultiPolygonGeometry(Tolerant):
    """A GeoJSON MultiPolygon (WGS-84)."""

    type: Literal["MultiPolygon"]
    coordinates: Annotated[list[Rings], Field(min_length=1, max_length=10_000)]


Geometry = Annotated[
    PointGeometry
    | LineStringGeometry
    | MultiLineStringGeometry
    | PolygonGeometry
    | MultiPolygonGeometry,
    Field(discriminator="type"),
]


class FeatureProperties(Tolerant):
    """The properties a GIS layer import reads from a feature: name and category."""

    name: Annotated[str, printable(128)] | None = None
    category: Annotated[str, printable(32)] | None = Field(
        None, description="Kind of key area: square, school, hospital, transport hub, …"
    )


class FeatureIn(Tolerant):
    """One GeoJSON feature of a layer being imported."""

    type: Literal["Feature"]
    geometry: Geometry
    properties: FeatureProperties | None = None


class FeatureCollectionIn(Tolerant):
    """A GIS layer to import, as a GeoJSON feature collection."""

    type: Literal["FeatureCollection"]
    features: Annotated[list[FeatureIn], Field(max_length=10_000)]


class ImportResult(BaseModel):
    """How many features a layer import stored."""

    imported: int


class FeatureOutProperties(BaseModel):
    """A stored layer feature's ID, name and category."""

    id: int
    name: str
    category: str | None
    organisation_id: str | None


class FeatureOut(BaseModel):
    """A stored layer feature as GeoJSON."""

    type: Literal["Feature"] = "Feature"
    id: int
    geometry: dict[str, Any]
    properties: FeatureOutProperties


class FeatureCollectionOut(BaseModel):
    """A stored GIS layer as a GeoJSON feature collection."""

    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[FeatureOut]
