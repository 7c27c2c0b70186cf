"""Organisations, devices and channels on the wire."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, computed_field

from vigil.api.schemas.common import DigitsId, Name, Public, Strict, Text64, Text255, printable
from vigil.catalog.organisations import OrgKind
from vigil.catalog.virtual_groups import VirtualGroupKind
from vigil.coverage.filing import missing_filing

Longitude = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]
Latitude = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
Angle = Annotated[float, Field(ge=0, le=360, allow_inf_nan=False)]
Transport = Literal["udp", "tcp"]
Unit = Annotated[str, printable(128)]
Category = Annotated[str, printable(32)]


class OrganisationCreate(Strict):
    """A new organisation (a region by default) under an optional parent."""

    id: DigitsId = Field(description="Civil code (2/4/6/8 digits) for regions; digits otherwise")
    name: Name
    kind: OrgKind = OrgKind.region
    parent_id: DigitsId | None = None


class OrganisationUpdate(Strict):
    """An organisation's new name."""

    name: Name


class OrganisationPublic(Public):
    """An organisation as the API shows it."""

    id: str
    name: str
    kind: OrgKind
    parent_id: str | None


class DeviceFields(Strict):
    """The fields of a device an administrator may set."""

    name: Name | None = None
    organisation_id: DigitsId | None = None
    manufacturer: Text64 | None = None
    model: Text64 | None = None
    firmware: Text64 | None = None
    transport: Transport | None = None


class DeviceCreate(DeviceFields):
    """A new device: its 20-digit ID, name and transport."""

    id: DigitsId = Field(description="20-digit GB/T 28181 device ID")
    name: Name
    transport: Transport = "udp"


class DevicePublic(Public):
    """A device as the API shows it."""

    id: str
    name: str
    organisation_id: str | None
    source: str
    manufacturer: str | None
    model: str | None
    firmware: str | None
    transport: str
    online: bool
    gb_version: str | None
    last_keepalive: datetime | None
    host: str | None = Field(exclude=True)
    port: int | None = Field(exclude=True)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def address(self) -> str | None:
        """Where the device was last seen, host:port."""
        return f"{self.host}:{self.port}" if self.host else None


class ChannelFields(Strict):
    """The fields of a channel an administrator may set (place, view, filing)."""

    name: Name | None = None
    organisation_id: DigitsId | None = None
    civil_code: Annotated[str, Field(pattern=r"^[0-9]{2,8}$")] | None = None
    address: Text255 | None = None
    longitude: Longitude | None = None
    latitude: Latitude | None = None
    heading: Angle | None = Field(None, description="Degrees clockwise from north; null if unknown")
    fov: Angle | None = Field(None, description="Horizontal field of view in degrees")
    ptz_type: int | None = Field(None, ge=0, le=4, description="GB/T 28181 PTZType: 1 dome … 4")
    hd: bool | None = None
    key_area_category: Category | None = None
    industry: Annotated[str, Field(pattern=r"^[0-9]{2}$")] | None = None
    owner_unit: Unit | None = None
    maintainer_unit: Unit | None = None
    mount_height: float | None = Field(
        None, ge=0, le=500, allow_inf_nan=False, description="Metres above the ground"
    )
    tilt: float | None = Field(
        None, ge=0, le=90, allow_inf_nan=False, description="Degrees below the horizon"
    )
    builder_unit: Unit | None = None
    purpose: Text255 | None = None
    legal_basis: Text255 | None = None
    filing_number: Text64 | None = None


class ChannelCreate(ChannelFields):
    """A new channel on a device."""

    id: DigitsId = Field(description="20-digit GB/T 28181 channel ID")
    device_id: DigitsId
    name: Name
    hd: bool = False


class ChannelPublic(Public):
    """A channel as the API shows it."""

    id: str
    device_id: str
    name: str
    organisation_id: str | None
    civil_code: str | None
    address: str | None
    longitude: float | None
    latitude: float | None
    heading: float | None
    fov: float | None
    ptz_type: int | None
    hd: bool
    key_area_category: str | None
    industry: str | None
    owner_unit: str | None
    maintainer_unit: str | None
    mount_height: float | None
    tilt: float | None
    builder_unit: str | None
    purpose: str | None
    legal_basis: str | None
    filing_number: str | None
    status: str
    sensitivity: int = Field(0, description="0 public … 3 secret (access policy)")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def filing_missing(self) -> list[str]:
        """Filing fields left empty; a channel with any is flagged in the filing report."""
        return missing_filing(self)


class VirtualGroupCreate(Strict):
    """A new virtual group (type code 215 or 216) under an optional parent."""

    id: DigitsId = Field(description="20-digit ID with type code 215 or 216")
    name: Name
    parent_id: DigitsId | None = None


class VirtualGroupUpdate(Strict):
    """A virtual group's new name."""

    name: Name


class VirtualGroupPublic(Public):
    """A virtual group as the API shows it."""

    id: str
    name: str
    kind: VirtualGroupKind
    parent_id: str | None
    #: The lower platform (``/lower-platforms/{id}``) whose catalog brought it in; None: made here.
    platform_id: int | None = None


class ChannelIds(Strict):
    """The channels to add to or remove from a virtual group."""

    channel_ids: list[DigitsId] = Field(min_length=1, max_length=1000)
