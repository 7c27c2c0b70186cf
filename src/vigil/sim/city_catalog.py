"""A city-sized catalog written straight into a node's SQLite database: 100,000 channels.

One province (35) with ten cities, each with 100 NVRs of 100 cameras; every third camera online.
One camera has a name found nowhere else (``LANDMARK``), for search. Rows go in by executemany
through the models' own tables, so defaults and types are the node's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, insert

from vigil.store.models import Channel, Device, Organisation, OrgKind

__all__ = ["LANDMARK", "CityScale", "seed_city"]

PROVINCE = ("35", "福建省")
CITIES = [f"35{n:02d}" for n in range(1, 11)]
DEVICES_PER_CITY = 100
CHANNELS_PER_DEVICE = 100
LANDMARK = "万达广场北门球机"


@dataclass(frozen=True)
class CityScale:
    """What the city catalog wrote: its province, cities, and IDs a test can look for."""

    province: str
    cities: list[str]
    first_device: str
    landmark_channel: str
    channels: int


def _device_id(city: str, n: int) -> str:
    return f"{city}0000001180{n:06d}"


def _channel_id(city: str, n: int) -> str:
    return f"{city}0000001320{n:06d}"


def seed_city(database: Path) -> CityScale:
    """Write the city into the SQLite database at ``database`` (the node may be running)."""
    engine = create_engine(f"sqlite:///{database}", connect_args={"timeout": 60})
    province_id, province_name = PROVINCE
    landmark = _channel_id(CITIES[4], 4321)
    with engine.begin() as connection:
        connection.execute(
            insert(Organisation),
            [
                {
                    "id": province_id,
                    "name": province_name,
                    "kind": OrgKind.region,
                    "parent_id": None,
                    "path": f"{province_id}/",
                },
                *(
                    {
                        "id": city,
                        "name": f"第{i + 1}市",
                        "kind": OrgKind.region,
                        "parent_id": province_id,
                        "path": f"{province_id}/{city}/",
                    }
                    for i, city in enumerate(CITIES)
                ),
            ],
        )
        for city in CITIES:
            devices = [
                {
                    "id": _device_id(city, d),
                    "name": f"{city}号片区 NVR {d:03d}",
                    "organisation_id": city,
                    "online": d % 2 == 0,
                }
                for d in range(DEVICES_PER_CITY)
            ]
            connection.execute(insert(Device), devices)
            channels = []
            for d in range(DEVICES_PER_CITY):
                for c in range(CHANNELS_PER_DEVICE):
                    serial = d * CHANNELS_PER_DEVICE + c
                    channel_id = _channel_id(city, serial)
                    name = LANDMARK if channel_id == landmark else f"路口{serial:05d}号"
                    channels.append(
                        {
                            "id": channel_id,
                            "device_id": _device_id(city, d),
                            "name": name,
                            "organisation_id": city,
                            "status": "ON" if serial % 3 == 0 else "OFF",
                            "industry": "00",
                        }
                    )
            connection.execute(insert(Channel), channels)
    engine.dispose()
    total = len(CITIES) * DEVICES_PER_CITY * CHANNELS_PER_DEVICE
    return CityScale(province_id, CITIES, _device_id(CITIES[0], 0), landmark, total)
