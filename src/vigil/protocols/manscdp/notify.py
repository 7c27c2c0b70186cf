"""``<Notify>`` messages: what a device reports unasked (GB/T 28181-2016 A.2.5, 2022 A.2.5)."""

# ruff: noqa: RUF009 -- el() and item_list() return dataclasses.field() with an immutable default

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from vigil.protocols.manscdp.catalog_item import CatalogItem
from vigil.protocols.manscdp.message import Message, Notify
from vigil.protocols.manscdp.schema import el, item_list, required

__all__ = [
    "MEDIA_STATUS_END_OF_FILE",
    "NOTIFIES",
    "AlarmInfo",
    "AlarmNotify",
    "AlarmTypeParam",
    "BroadcastNotify",
    "CatalogNotify",
    "Keepalive",
    "MediaStatusNotify",
    "MobilePositionNotify",
    "UploadSnapShotFinished",
]

#: GB/T 28181-2016 A.2.5.4: NotifyType 121 means a playback or download reached the end of file.
MEDIA_STATUS_END_OF_FILE = 121


@dataclass(frozen=True, slots=True, kw_only=True)
class Keepalive(Notify):
    """The periodic heartbeat (A.2.5.2); ``faulty`` lists channels the device reports broken."""

    CMD_TYPE = "Keepalive"

    status: str | None = el("Status")  # OK / ERROR
    faulty: tuple[str, ...] = item_list("Info", "DeviceID", num=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class AlarmTypeParam:
    """Parameters of an alarm type; for video alarms, the event (1 person, 2 vehicle, …)."""

    event_type: int | None = el("EventType")


@dataclass(frozen=True, slots=True, kw_only=True)
class AlarmInfo:
    """The ``<Info>`` of an alarm notify (2016 A.2.5.3)."""

    alarm_type: int | None = el("AlarmType")
    alarm_type_param: AlarmTypeParam | None = el("AlarmTypeParam")


@dataclass(frozen=True, slots=True, kw_only=True)
class AlarmNotify(Notify):
    """An alarm raised by the device (A.2.5.3); the platform answers with an Alarm response."""

    CMD_TYPE = "Alarm"

    alarm_priority: int | None = el("AlarmPriority")  # 1 highest … 4
    alarm_method: int | None = el("AlarmMethod")  # 1 phone, 2 device, 5 video, …
    alarm_time: datetime | None = el("AlarmTime")
    alarm_description: str | None = el("AlarmDescription")
    longitude: float | None = el("Longitude")
    latitude: float | None = el("Latitude")
    info: AlarmInfo | None = el("Info")


@dataclass(frozen=True, slots=True, kw_only=True)
class MediaStatusNotify(Notify):
    """Playback or download reached the end (``notify_type`` 121), sent inside the call's dialog."""

    CMD_TYPE = "MediaStatus"

    notify_type: int | None = el("NotifyType")


@dataclass(frozen=True, slots=True, kw_only=True)
class BroadcastNotify(Message):
    """Invite a device to receive a voice broadcast (A.2.5.5); it carries no DeviceID."""

    ROOT = "Notify"
    CMD_TYPE = "Broadcast"

    source_id: str = field(metadata=required("SourceID"))
    target_id: str = field(metadata=required("TargetID"))


@dataclass(frozen=True, slots=True, kw_only=True)
class MobilePositionNotify(Notify):
    """A GPS fix of a mobile device (A.2.5.6)."""

    CMD_TYPE = "MobilePosition"

    time: datetime | None = el("Time")
    longitude: float | None = el("Longitude")
    latitude: float | None = el("Latitude")
    speed: float | None = el("Speed")  # km/h
    direction: float | None = el("Direction")  # degrees from north
    altitude: float | None = el("Altitude")  # metres


@dataclass(frozen=True, slots=True, kw_only=True)
class CatalogNotify(Notify):
    """Catalog changes (2016 §9.6.3): each item carries an Event (ADD, DEL, UPDATE, ON, OFF, …)."""

    CMD_TYPE = "Catalog"

    sum_num: int | None = el("SumNum")
    items: tuple[CatalogItem, ...] = item_list("DeviceList")


@dataclass(frozen=True, slots=True, kw_only=True)
class UploadSnapShotFinished(Notify):
    """The pictures of a SnapShotConfig were uploaded (2022)."""

    CMD_TYPE = "UploadSnapShotFinished"

    session_id: str | None = el("SessionID")
    snap_shot_file_ids: tuple[str, ...] = item_list("SnapShotList", "SnapShotFileID", num=False)


#: Every Notify model (BroadcastNotify included), for the CmdType table.
NOTIFIES: tuple[type[Message], ...] = (
    Keepalive,
    AlarmNotify,
    MediaStatusNotify,
    BroadcastNotify,
    MobilePositionNotify,
    CatalogNotify,
    UploadSnapShotFinished,
)
