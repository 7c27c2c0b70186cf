"""Lower platforms (type 200 devices registered with Vigil): live state, counters, their tree."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from vigil.api.schemas.platforms import PlatformAddress

__all__ = [
    "LowerChannelNode",
    "LowerCounters",
    "LowerDeviceNode",
    "LowerGroupNode",
    "LowerPlatformDetail",
    "LowerPlatformPublic",
    "LowerRegionNode",
]


class LowerCounters(BaseModel):
    """Since the node started: requests sent to the platform (or through it), streams opened,
    failures (no answer or an error answer)."""

    requests: int
    streams: int
    failures: int


class LowerPlatformPublic(PlatformAddress):
    """A lower platform registered to this node, with its counters."""

    online: bool
    registered_at: datetime | None
    expires_at: datetime | None
    last_keepalive: datetime | None
    devices: int
    channels: int
    channels_online: int
    groups: int
    counters: LowerCounters


class LowerGroupNode(BaseModel):
    """A business group or virtual organisation in a lower platform's tree."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    kind: str
    parent_id: str | None


class LowerDeviceNode(BaseModel):
    """A device in a lower platform's tree."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    online: bool
    manufacturer: str | None
    model: str | None


class LowerChannelNode(BaseModel):
    """A channel in a lower platform's tree."""

    id: str
    name: str
    device_id: str
    organisation_id: str | None
    status: str
    group_ids: list[str]


class LowerRegionNode(BaseModel):
    """An organisation the platform's channels are filed under, or one above it (a region from
    a civil code, named as the platform sent it or by its code)."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    kind: str
    parent_id: str | None


class LowerPlatformDetail(LowerPlatformPublic):
    """One platform with the tree it reported: groups (parent links), devices, channels, and
    the regions its channels are filed under."""

    tree_groups: list[LowerGroupNode]
    tree_devices: list[LowerDeviceNode]
    tree_channels: list[LowerChannelNode]
    tree_regions: list[LowerRegionNode]
