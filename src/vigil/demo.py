"""The demo catalog: one district with cameras at believable positions, loaded by ``vigil demo``."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from vigil.app import Vigil
from vigil.errors import Conflict
from vigil.governance.permissions import SYSTEM
from vigil.store.models import OrgKind

__all__ = ["seed_demo"]


@dataclass(frozen=True)
class DemoCamera:
    id: str
    name: str
    longitude: float
    latitude: float
    heading: float


REGIONS = [("34", "安徽省"), ("3401", "合肥市"), ("340104", "蜀山区")]
NVR_ID = "34010400001180000001"
CAMERAS = [
    DemoCamera("34010400001320000001", "长江西路与潜山路口 东向", 117.2312, 31.8570, 90.0),
    DemoCamera("34010400001320000002", "天鹅湖广场 北侧", 117.2275, 31.8205, 180.0),
    DemoCamera("34010400001320000003", "合肥西站 进站口", 117.2061, 31.8614, 225.0),
    DemoCamera("34010400001320000004", "蜀山区政务中心 正门", 117.2612, 31.8551, 0.0),
]


async def seed_demo(node: Vigil) -> None:
    """Create the demo district unless it is already there (safe to run at every start)."""
    parent: str | None = None
    for code, name in REGIONS:
        with contextlib.suppress(Conflict):
            await node.organisations.create(SYSTEM, code, name, OrgKind.region, parent)
        parent = code
    try:
        await node.devices.create(
            SYSTEM,
            NVR_ID,
            {"name": "蜀山区演示 NVR", "organisation_id": parent, "manufacturer": "Vigil"},
        )
    except Conflict:
        return
    for camera in CAMERAS:
        await node.channels.create(
            SYSTEM,
            camera.id,
            NVR_ID,
            {
                "name": camera.name,
                "civil_code": parent,
                "longitude": camera.longitude,
                "latitude": camera.latitude,
                "heading": camera.heading,
                "fov": 60.0,
                "hd": True,
                "ptz_type": 3,
            },
        )
