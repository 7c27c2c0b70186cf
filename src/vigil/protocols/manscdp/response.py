"""``<Response>`` messages: answers to queries and controls (GB/T 28181-2016 A.2.6, 2022 A.2.6).

Large answers (catalog, recordings) come in several messages with the same SN; ``sum_num`` is the
total across them and each message's list holds a part. Assembling the parts is the caller's job.
"""

# ruff: noqa: RUF009 -- el() and item_list() return dataclasses.field() with an immutable default

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from vigil.protocols.manscdp.catalog_item import CatalogItem
from vigil.protocols.manscdp.config_params import (
    BasicParam,
    SvacDecodeConfig,
    SvacEncodeConfig,
    VideoParamOpt,
)
from vigil.protocols.manscdp.control import HomePosition
from vigil.protocols.manscdp.message import Response
from vigil.protocols.manscdp.schema import el, item_list

__all__ = [
    "RESPONSES",
    "RESULT_ERROR",
    "RESULT_OK",
    "AlarmResponse",
    "AlarmStatusItem",
    "BroadcastResponse",
    "CatalogResponse",
    "ConfigDownloadResponse",
    "CruisePoint",
    "CruiseTrack",
    "CruiseTrackListResponse",
    "CruiseTrackResponse",
    "DeviceConfigResponse",
    "DeviceControlResponse",
    "DeviceInfoResponse",
    "DeviceStatusResponse",
    "HomePositionResponse",
    "Preset",
    "PresetQueryResponse",
    "PtzPositionResponse",
    "RecordInfoResponse",
    "RecordItem",
    "SdCard",
    "SdCardStatusResponse",
]

#: A.2.6: the Result element of answers that only succeed or fail.
RESULT_OK, RESULT_ERROR = "OK", "ERROR"


@dataclass(frozen=True, slots=True, kw_only=True)
class CatalogResponse(Response):
    """One part of a device's catalog (A.2.6.4)."""

    CMD_TYPE = "Catalog"

    sum_num: int | None = el("SumNum")
    items: tuple[CatalogItem, ...] = item_list("DeviceList")


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceInfoResponse(Response):
    """Identity of a device (A.2.6.5)."""

    CMD_TYPE = "DeviceInfo"

    device_name: str | None = el("DeviceName")
    result: str | None = el("Result")
    device_type: str | None = el("DeviceType")
    manufacturer: str | None = el("Manufacturer")
    model: str | None = el("Model")
    firmware: str | None = el("Firmware")
    channel: int | None = el("Channel")  # number of video inputs


@dataclass(frozen=True, slots=True, kw_only=True)
class AlarmStatusItem:
    """Duty state of one alarm input: ONDUTY, OFFDUTY or ALARM."""

    device_id: str | None = el("DeviceID")
    duty_status: str | None = el("DutyStatus")


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceStatusResponse(Response):
    """Running state of a device (A.2.6.6)."""

    CMD_TYPE = "DeviceStatus"

    result: str | None = el("Result")
    online: str | None = el("Online")  # ONLINE / OFFLINE
    status: str | None = el("Status")  # OK / ERROR
    reason: str | None = el("Reason")
    encode: str | None = el("Encode")  # ON / OFF
    record: str | None = el("Record")  # ON / OFF
    device_time: datetime | None = el("DeviceTime")
    alarm_status: tuple[AlarmStatusItem, ...] = item_list("Alarmstatus")  # the standard's case


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordItem:
    """One recording file or segment (A.2.6.7)."""

    device_id: str | None = el("DeviceID")
    name: str | None = el("Name")
    file_path: str | None = el("FilePath")
    address: str | None = el("Address")
    start_time: datetime | None = el("StartTime")
    end_time: datetime | None = el("EndTime")
    secrecy: int | None = el("Secrecy")
    type: str | None = el("Type")
    recorder_id: str | None = el("RecorderID")
    file_size: int | None = el("FileSize")
    stream_number: int | None = el("StreamNumber")  # 2022


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordInfoResponse(Response):
    """One part of a recording search result (A.2.6.7)."""

    CMD_TYPE = "RecordInfo"

    name: str | None = el("Name")
    sum_num: int | None = el("SumNum")
    items: tuple[RecordItem, ...] = item_list("RecordList")


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceControlResponse(Response):
    """Outcome of a DeviceControl that asks for one (A.2.6.1)."""

    CMD_TYPE = "DeviceControl"

    result: str | None = el("Result")


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceConfigResponse(Response):
    """Outcome of a DeviceConfig (A.2.6.2)."""

    CMD_TYPE = "DeviceConfig"

    result: str | None = el("Result")


@dataclass(frozen=True, slots=True, kw_only=True)
class AlarmResponse(Response):
    """Acknowledgement of an alarm notify (A.2.6.3)."""

    CMD_TYPE = "Alarm"

    result: str | None = el("Result")


@dataclass(frozen=True, slots=True, kw_only=True)
class BroadcastResponse(Response):
    """A device accepts or refuses a voice broadcast (A.2.6.10)."""

    CMD_TYPE = "Broadcast"

    result: str | None = el("Result")


@dataclass(frozen=True, slots=True, kw_only=True)
class ConfigDownloadResponse(Response):
    """Configuration read back (A.2.6.8); only the blocks asked for are present."""

    CMD_TYPE = "ConfigDownload"

    result: str | None = el("Result")
    basic_param: BasicParam | None = el("BasicParam")
    video_param_opt: VideoParamOpt | None = el("VideoParamOpt")
    svac_encode_config: SvacEncodeConfig | None = el("SVACEncodeConfig")
    svac_decode_config: SvacDecodeConfig | None = el("SVACDecodeConfig")


@dataclass(frozen=True, slots=True, kw_only=True)
class Preset:
    """One PTZ preset."""

    preset_id: str | None = el("PresetID")
    preset_name: str | None = el("PresetName")


@dataclass(frozen=True, slots=True, kw_only=True)
class PresetQueryResponse(Response):
    """The presets of a PTZ camera (A.2.6.9)."""

    CMD_TYPE = "PresetQuery"

    presets: tuple[Preset, ...] = item_list("PresetList")


@dataclass(frozen=True, slots=True, kw_only=True)
class HomePositionResponse(Response):
    """Home position settings (2022)."""

    CMD_TYPE = "HomePositionQuery"

    result: str | None = el("Result")
    home_position: HomePosition | None = el("HomePosition")


@dataclass(frozen=True, slots=True, kw_only=True)
class CruiseTrack:
    """One cruise track: its number and name."""

    number: int | None = el("Number")
    name: str | None = el("Name")


@dataclass(frozen=True, slots=True, kw_only=True)
class CruiseTrackListResponse(Response):
    """The cruise tracks of a PTZ camera (2022)."""

    CMD_TYPE = "CruiseTrackListQuery"

    result: str | None = el("Result")
    sum_num: int | None = el("SumNum")
    tracks: tuple[CruiseTrack, ...] = item_list("CruiseTrackList")


@dataclass(frozen=True, slots=True, kw_only=True)
class CruisePoint:
    """One stop of a cruise: preset, dwell seconds, speed."""

    preset_index: int | None = el("PresetIndex")
    stay_time: int | None = el("StayTime")
    speed: int | None = el("Speed")


@dataclass(frozen=True, slots=True, kw_only=True)
class CruiseTrackResponse(Response):
    """The points of one cruise track (2022)."""

    CMD_TYPE = "CruiseTrackQuery"

    result: str | None = el("Result")
    name: str | None = el("Name")
    sum_num: int | None = el("SumNum")
    points: tuple[CruisePoint, ...] = item_list("CruisePointList")


@dataclass(frozen=True, slots=True, kw_only=True)
class PtzPositionResponse(Response):
    """Current absolute position and field of view (2022)."""

    CMD_TYPE = "PTZPosition"

    result: str | None = el("Result")
    pan: float | None = el("Pan")
    tilt: float | None = el("Tilt")
    zoom: float | None = el("Zoom")
    horizontal_field_angle: float | None = el("HorizontalFieldAngle")
    vertical_field_angle: float | None = el("VerticalFieldAngle")
    max_view_distance: float | None = el("MaxViewDistance")


@dataclass(frozen=True, slots=True, kw_only=True)
class SdCard:
    """State of one memory card; sizes in MB."""

    id: int | None = el("ID")
    hdd_name: str | None = el("HddName")
    status: str | None = el("Status")
    format_progress: int | None = el("FormatProgress")  # percent, while formatting
    capacity: int | None = el("Capacity")
    free_space: int | None = el("FreeSpace")


@dataclass(frozen=True, slots=True, kw_only=True)
class SdCardStatusResponse(Response):
    """The device's memory cards (2022)."""

    CMD_TYPE = "SDCardStatus"

    result: str | None = el("Result")
    sum_num: int | None = el("SumNum")
    cards: tuple[SdCard, ...] = item_list("SDCardList")


#: Every Response model, for the CmdType table.
RESPONSES: tuple[type[Response], ...] = (
    CatalogResponse,
    DeviceInfoResponse,
    DeviceStatusResponse,
    RecordInfoResponse,
    DeviceControlResponse,
    DeviceConfigResponse,
    AlarmResponse,
    BroadcastResponse,
    ConfigDownloadResponse,
    PresetQueryResponse,
    HomePositionResponse,
    CruiseTrackListResponse,
    CruiseTrackResponse,
    PtzPositionResponse,
    SdCardStatusResponse,
)
