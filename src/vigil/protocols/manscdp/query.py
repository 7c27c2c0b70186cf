"""``<Query>`` messages: what a platform asks a device (GB/T 28181-2016 A.2.4, 2022 A.2.4)."""

# ruff: noqa: RUF009 -- el() and item_list() return dataclasses.field() with an immutable default

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from vigil.protocols.manscdp.message import Query
from vigil.protocols.manscdp.schema import el

__all__ = [
    "QUERIES",
    "AlarmQuery",
    "CatalogQuery",
    "ConfigDownloadQuery",
    "CruiseTrackListQuery",
    "CruiseTrackQuery",
    "DeviceInfoQuery",
    "DeviceStatusQuery",
    "HomePositionQuery",
    "MobilePositionQuery",
    "PresetQuery",
    "PtzPositionQuery",
    "RecordInfoQuery",
    "SdCardStatusQuery",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class CatalogQuery(Query):
    """Ask for the device's catalog; the optional window asks only for changes in it (2016)."""

    CMD_TYPE = "Catalog"

    start_time: datetime | None = el("StartTime")
    end_time: datetime | None = el("EndTime")


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceInfoQuery(Query):
    """Ask for manufacturer, model, firmware and channel count."""

    CMD_TYPE = "DeviceInfo"


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceStatusQuery(Query):
    """Ask whether the device is online, encoding, recording, and its alarm inputs."""

    CMD_TYPE = "DeviceStatus"


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordInfoQuery(Query):
    """Search recordings of a channel in a time window (A.2.4.5)."""

    CMD_TYPE = "RecordInfo"

    start_time: datetime | None = el("StartTime")
    end_time: datetime | None = el("EndTime")
    file_path: str | None = el("FilePath")
    address: str | None = el("Address")
    secrecy: int | None = el("Secrecy")
    type: str | None = el("Type")  # time / alarm / manual / all
    recorder_id: str | None = el("RecorderID")
    indistinct_query: int | None = el("IndistinctQuery")
    stream_number: int | None = el("StreamNumber")  # 2022
    alarm_method: str | None = el("AlarmMethod")  # 2022
    alarm_type: str | None = el("AlarmType")  # 2022


@dataclass(frozen=True, slots=True, kw_only=True)
class AlarmQuery(Query):
    """Search alarms by priority, method, type and time (A.2.4.6)."""

    CMD_TYPE = "Alarm"

    start_alarm_priority: int | None = el("StartAlarmPriority")
    end_alarm_priority: int | None = el("EndAlarmPriority")
    alarm_method: str | None = el("AlarmMethod")
    alarm_type: str | None = el("AlarmType")
    start_alarm_time: datetime | None = el("StartAlarmTime")
    end_alarm_time: datetime | None = el("EndAlarmTime")


@dataclass(frozen=True, slots=True, kw_only=True)
class ConfigDownloadQuery(Query):
    """Read configuration back; ``config_type`` is "/"-separated: ``BasicParam/VideoParamOpt``."""

    CMD_TYPE = "ConfigDownload"

    config_type: str | None = el("ConfigType")


@dataclass(frozen=True, slots=True, kw_only=True)
class PresetQuery(Query):
    """Ask for the presets of a PTZ camera."""

    CMD_TYPE = "PresetQuery"


@dataclass(frozen=True, slots=True, kw_only=True)
class MobilePositionQuery(Query):
    """Subscribe-style request for GPS positions every ``interval`` seconds."""

    CMD_TYPE = "MobilePosition"

    interval: int | None = el("Interval")


@dataclass(frozen=True, slots=True, kw_only=True)
class HomePositionQuery(Query):
    """Ask for the home (watch) position settings (2022)."""

    CMD_TYPE = "HomePositionQuery"


@dataclass(frozen=True, slots=True, kw_only=True)
class CruiseTrackListQuery(Query):
    """Ask for the list of cruise tracks (2022)."""

    CMD_TYPE = "CruiseTrackListQuery"


@dataclass(frozen=True, slots=True, kw_only=True)
class CruiseTrackQuery(Query):
    """Ask for the points of cruise track ``number`` (2022)."""

    CMD_TYPE = "CruiseTrackQuery"

    number: int | None = el("Number")


@dataclass(frozen=True, slots=True, kw_only=True)
class PtzPositionQuery(Query):
    """Ask for the current pan, tilt and zoom (2022)."""

    CMD_TYPE = "PTZPosition"


@dataclass(frozen=True, slots=True, kw_only=True)
class SdCardStatusQuery(Query):
    """Ask for the state of the device's memory cards (2022)."""

    CMD_TYPE = "SDCardStatus"


#: Every Query model, for the CmdType table.
QUERIES: tuple[type[Query], ...] = (
    CatalogQuery,
    DeviceInfoQuery,
    DeviceStatusQuery,
    RecordInfoQuery,
    AlarmQuery,
    ConfigDownloadQuery,
    PresetQuery,
    MobilePositionQuery,
    HomePositionQuery,
    CruiseTrackListQuery,
    CruiseTrackQuery,
    PtzPositionQuery,
    SdCardStatusQuery,
)
