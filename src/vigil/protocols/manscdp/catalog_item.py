"""One entry of a catalog: a device, channel, organisation or group (GB/T 28181-2016 A.2.1).

The same ``<Item>`` appears in the Catalog response (A.2.6.4) and, with ``Event``, in the Catalog
notify (A.2.5.x, 2016 §9.6.3). Nearly every element is optional in practice: platforms omit what
they do not know, so every field but DeviceID may be None. Enumerations (Status ON/OFF,
Event ADD/DEL/…) stay text, because devices also send ONLINE/OFFLINE and lower case.
"""

# ruff: noqa: RUF009 -- el() and item_list() return dataclasses.field() with an immutable default

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from vigil.protocols.manscdp.schema import el, required

__all__ = ["CATALOG_EVENTS", "CatalogInfo", "CatalogItem"]

#: GB/T 28181-2016 §9.6.3 catalog change events: added, deleted, changed, online, offline,
#: video lost, faulty.
CATALOG_EVENTS = ("ADD", "DEL", "UPDATE", "ON", "OFF", "VLOST", "DEFECT")


@dataclass(frozen=True, slots=True, kw_only=True)
class CatalogInfo:
    """The extended ``<Info>`` of a camera channel (A.2.1, extended in 2022 A.2.1)."""

    ptz_type: int | None = el("PTZType")  # 1 dome, 2 half-dome, 3 fixed box, 4 remote-control box
    position_type: int | None = el("PositionType")
    room_type: int | None = el("RoomType")  # 1 indoor, 2 outdoor
    use_type: int | None = el("UseType")  # 1 public order, 2 traffic, 3 key area
    supply_light_type: int | None = el("SupplyLightType")
    direction_type: int | None = el("DirectionType")
    resolution: str | None = el("Resolution")  # "/"-separated list of resolution codes
    business_group_id: str | None = el("BusinessGroupID")
    download_speed: str | None = el("DownloadSpeed")  # "/"-separated multiples, e.g. "1/2/4"
    svc_space_support_mode: int | None = el("SVCSpaceSupportMode")
    svc_time_support_mode: int | None = el("SVCTimeSupportMode")
    # GB/T 28181-2022 additions
    ssvc_ratio_support_list: str | None = el("SSVCRatioSupportList")
    mobile_device_support: int | None = el("MobileDeviceSupport")
    horizontal_field_angle: float | None = el("HorizontalFieldAngle")
    vertical_field_angle: float | None = el("VerticalFieldAngle")
    max_view_distance: float | None = el("MaxViewDistance")
    grassroots_code: str | None = el("GrassrootsCode")
    point_type: int | None = el("PointType")
    point_common_name: str | None = el("PointCommonName")
    mac: str | None = el("MAC")
    function_type: str | None = el("FunctionType")
    encode_type: str | None = el("EncodeType")
    install_time: datetime | None = el("InstallTime")
    management_unit: str | None = el("ManagementUnit")
    contact_info: str | None = el("ContactInfo")
    record_save_days: int | None = el("RecordSaveDays")
    industrial_classification: str | None = el("IndustrialClassification")
    stream_number_list: str | None = el("StreamNumberList")  # "/"-separated, e.g. "0/1/2"


@dataclass(frozen=True, slots=True, kw_only=True)
class CatalogItem:
    """A catalog ``<Item>``; ``event`` is set only in a Catalog notify."""

    device_id: str = field(metadata=required("DeviceID"))
    event: str | None = el("Event")
    name: str | None = el("Name")
    manufacturer: str | None = el("Manufacturer")
    model: str | None = el("Model")
    owner: str | None = el("Owner")
    civil_code: str | None = el("CivilCode")
    block: str | None = el("Block")
    address: str | None = el("Address")
    parental: int | None = el("Parental")
    parent_id: str | None = el("ParentID")
    # 2016 A.2.1 puts a virtual organisation's business group here; 2022 moved it into Info.
    business_group_id: str | None = el("BusinessGroupID")
    safety_way: int | None = el("SafetyWay")
    register_way: int | None = el("RegisterWay")
    cert_num: str | None = el("CertNum")
    certifiable: int | None = el("Certifiable")
    err_code: int | None = el("ErrCode")
    end_time: datetime | None = el("EndTime")
    secrecy: int | None = el("Secrecy")
    ip_address: str | None = el("IPAddress")
    port: int | None = el("Port")
    password: str | None = el("Password")
    status: str | None = el("Status")
    longitude: float | None = el("Longitude")
    latitude: float | None = el("Latitude")
    info: CatalogInfo | None = el("Info")
