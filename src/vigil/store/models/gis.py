"""GIS layers: the areas, roads, intersections and buildings coverage is measured against, and the
banned places the law forbids filming."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from vigil.store.base import Base, Numbered
from vigil.store.types import UTCDateTime, utcnow

__all__ = ["GisFeature", "LayerKind"]


class LayerKind(enum.StrEnum):
    """The kinds of GIS layer: admin areas, key areas, roads, intersections, buildings, and the
    banned places (hotel rooms, toilets, changing rooms, …), which no camera may film and which
    coverage does not measure."""

    admin_area = "admin_area"
    key_area = "key_area"
    road = "road"
    intersection = "intersection"
    building = "building"
    banned_place = "banned_place"


class GisFeature(Numbered, Base):
    """One feature of a layer, filed under an organisation like a channel is.

    The geometry is GeoJSON text in WGS-84, so neither engine needs a spatial extension; the
    coverage service reads a district's layers whole and computes in memory.
    """

    __tablename__ = "gis_features"

    kind: Mapped[LayerKind] = mapped_column(
        Enum(LayerKind, native_enum=False, length=16), index=True
    )
    name: Mapped[str] = mapped_column(String(128))
    category: Mapped[str | None] = mapped_column(String(32))
    organisation_id: Mapped[str | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    geometry: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
