"""Believable channels for a simulated device: IDs, names, positions, headings, catalog pages.

A new user of ``make demo`` should see cameras on a map where cameras would be: at crossroads and
squares around a district centre, each looking along a road. Everything is derived from the device
ID and the channel number, so the same command always produces the same catalog and the platform's
tests can predict it. Channel IDs keep the device's centre, industry and network digits with type
code 132 (IP camera); their 6-digit serial is ``(device serial - 1) × channels + k``, so devices of
one swarm never collide (up to a million channels).
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from vigil.protocols.manscdp import CatalogInfo, CatalogItem

__all__ = [
    "DEFAULT_CENTRE",
    "SimChannel",
    "camera_item",
    "catalog_items",
    "channel_id",
    "make_channels",
    "pages",
]

#: 合肥市蜀山区 (Hefei, Shushan district): the demo district of ``vigil demo``.
DEFAULT_CENTRE = (117.2272, 31.8512)
IPC_TYPE = 132
_SERIAL_LIMIT = 1_000_000
_ROADS = ("长江西路", "潜山路", "黄山路", "望江西路", "肥西路", "科学大道", "怀宁路", "合作化路")
_PLACES = (
    "广场 北侧",
    "公交站",
    "学校 正门",
    "医院 急诊入口",
    "地铁站 B口",
    "农贸市场",
    "公园 东门",
)
_HEADINGS = {"北向": 0.0, "东向": 90.0, "南向": 180.0, "西向": 270.0}
_METRES_PER_DEGREE = 111_320.0
#: GB/T 28181-2022 A.2.1 DirectionType: 1 east, 2 west, 3 south, 4 north.
_DIRECTION_TYPE = {0.0: 4, 90.0: 1, 180.0: 3, 270.0: 2}
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class SimChannel:
    """One camera of a simulated device; ``status`` is what the catalog reports (ON/OFF)."""

    channel_id: str
    name: str
    longitude: float
    latitude: float
    heading: float
    ptz_type: int  # 1 dome (PTZ), 3 fixed box
    status: str = "ON"

    def with_status(self, status: str) -> SimChannel:
        return replace(self, status=status)


def channel_id(device_id: str, index: int, channels: int) -> str:
    """ID of channel ``index`` (0-based) of a device with ``channels`` channels."""
    serial = int(device_id[14:])
    number = ((serial - 1) * channels + index + 1) % _SERIAL_LIMIT
    return f"{device_id[:10]}{IPC_TYPE}{device_id[13]}{number:06d}"


def _position(seed: int, centre: tuple[float, float]) -> tuple[float, float]:
    """A point within ~3 km of ``centre``, spread by the golden angle so cameras do not clump."""
    radius = 300 + (seed * 7919) % 2700
    angle = seed * 2.399963
    lon0, lat0 = centre
    dlat = radius * math.cos(angle) / _METRES_PER_DEGREE
    dlon = radius * math.sin(angle) / (_METRES_PER_DEGREE * math.cos(math.radians(lat0)))
    return round(lon0 + dlon, 6), round(lat0 + dlat, 6)


def _name(seed: int) -> tuple[str, float]:
    direction, heading = list(_HEADINGS.items())[seed % len(_HEADINGS)]
    if seed % 3:
        first = _ROADS[seed % len(_ROADS)]
        second = _ROADS[(seed // len(_ROADS) + 1 + seed) % len(_ROADS)]
        if second == first:
            second = _ROADS[(seed + 1) % len(_ROADS)]
        return f"{first}与{second}交口 {direction}", heading
    place = _PLACES[seed % len(_PLACES)]
    return f"{_ROADS[(seed // 3) % len(_ROADS)]}{place}", heading


def make_channels(
    device_id: str, count: int, centre: tuple[float, float] = DEFAULT_CENTRE
) -> list[SimChannel]:
    """The ``count`` channels of ``device_id``, the same every time."""
    out: list[SimChannel] = []
    for index in range(count):
        cid = channel_id(device_id, index, count)
        seed = zlib.crc32(cid.encode())
        name, heading = _name(seed)
        lon, lat = _position(seed % 10_000, centre)
        out.append(SimChannel(cid, name, lon, lat, heading, 1 if index % 4 == 0 else 3))
    return out


def catalog_items(device_id: str, channels: Sequence[SimChannel]) -> list[CatalogItem]:
    """The channels as catalog ``<Item>``s, parented to the device and its district."""
    civil_code = device_id[:6]
    return [
        camera_item(
            ch,
            civil_code=civil_code,
            parent_id=device_id,
            info=CatalogInfo(
                ptz_type=ch.ptz_type,
                direction_type=_DIRECTION_TYPE.get(ch.heading),
                download_speed="1/2/4",
                resolution="6",
            ),
        )
        for ch in channels
    ]


def camera_item(
    ch: SimChannel,
    *,
    civil_code: str,
    parent_id: str,
    info: CatalogInfo,
    business_group_id: str | None = None,
) -> CatalogItem:
    """One simulated camera as a catalog ``<Item>`` under ``parent_id``."""
    return CatalogItem(
        device_id=ch.channel_id,
        name=ch.name,
        manufacturer="Vigil",
        model="SIM-IPC",
        owner="Owner",
        civil_code=civil_code,
        address=ch.name.split(" ")[0],
        parental=0,
        parent_id=parent_id,
        business_group_id=business_group_id,
        safety_way=0,
        register_way=1,
        secrecy=0,
        status=ch.status,
        longitude=ch.longitude,
        latitude=ch.latitude,
        info=info,
    )


def pages(items: Sequence[T], per_message: int) -> list[tuple[T, ...]]:
    """Split items into messages of at most ``per_message`` (one empty page for no items)."""
    if per_message < 1:
        raise ValueError("per_message must be at least 1")
    if not items:
        return [()]
    return [tuple(items[i : i + per_message]) for i in range(0, len(items), per_message)]
