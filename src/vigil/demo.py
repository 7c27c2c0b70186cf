"""The demo: one district with cameras at believable positions, and simulated devices behind them.

``seed_demo`` loads the catalog and the district's GIS layers (safe at every start).
``DemoFleet`` then starts, in the same process, a simulated NVR (``vigil.sim``) whose channels are
exactly the seeded cameras (same IDs, names and positions, so its catalog answer changes
nothing), registering to the node's own SIP endpoint with a random per-device password nobody
needs to see. Each camera gets a continuous recording plan and is recorded from the start, so
playback has video after a minute.
"""

from __future__ import annotations

import contextlib
import secrets
from dataclasses import dataclass

from vigil.app import Vigil
from vigil.config import Settings
from vigil.coverage.crs import CoordinateSystem
from vigil.coverage.demo_district import demo_layers
from vigil.errors import Conflict
from vigil.governance.permissions import SYSTEM
from vigil.media.packet import StreamKey
from vigil.media.recording.schedule import RecordingSchedule
from vigil.sim import DeviceConfig, SimChannel, SimDevice, VideoSpec
from vigil.store.models import OrgKind

__all__ = ["CAMERAS", "DEMO_RECORDING_MAX_GB", "NVR_ID", "DemoFleet", "demo_settings", "seed_demo"]


@dataclass(frozen=True)
class DemoCamera:
    id: str
    name: str
    longitude: float
    latitude: float
    heading: float
    ptz_type: int = 3  # GB/T 28181 PTZType: 1 dome, 3 fixed box


REGIONS = [("34", "安徽省"), ("3401", "合肥市"), ("340104", "蜀山区")]
NVR_ID = "34010400001180000001"
CAMERAS = [
    DemoCamera("34010400001320000001", "长江西路与潜山路口 东向", 117.2312, 31.8570, 90.0, 1),
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
    await _load_layers(node, REGIONS[-1][0])
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
                "ptz_type": camera.ptz_type,
            },
        )


async def _load_layers(node: Vigil, district: str) -> None:
    """The district's GIS layers, each unless it already has features there."""
    for kind, features in demo_layers().items():
        if not await node.gis.export(SYSTEM, kind, district):
            await node.gis.import_features(SYSTEM, kind, features, CoordinateSystem.wgs84, district)


#: Light enough for four streams recorded continuously on a laptop.
DEMO_VIDEO = VideoSpec(width=640, height=360, bitrate=600_000)
#: Four cameras at 600 kbit/s record about 1.2 GB an hour (measured: 4.9 MB per camera-minute of
#: segment files): unless ``VIGIL_RECORDING_MAX_GB`` says otherwise, the demo keeps the newest
#: 5 GB (about four hours) and retention deletes the rest.
DEMO_RECORDING_MAX_GB = 5.0


def demo_settings(settings: Settings) -> Settings:
    """The settings the demo runs with: the demo's recording cap unless one was set."""
    if settings.recording_max_gb is not None:
        return settings
    return settings.model_copy(update={"recording_max_gb": DEMO_RECORDING_MAX_GB})


class DemoFleet:
    """The simulated NVR behind the demo cameras; ``await start()`` once SIP is up."""

    def __init__(self, node: Vigil) -> None:
        self._node = node
        self.device: SimDevice | None = None

    async def start(self) -> None:
        node, settings = self._node, self._node.settings
        password = secrets.token_urlsafe(18)
        await node.gb.set_password(SYSTEM, NVR_ID, password, None)
        for camera in CAMERAS:
            await node.recording.plans.save(camera.id, RecordingSchedule())
            node.autorecord.keep(StreamKey(camera.id))
        device = SimDevice(
            DeviceConfig(
                device_id=NVR_ID,
                server=(settings.sip_host, node.gb.port),
                password=password,
                server_id=settings.sip_id,
                domain=settings.sip_domain,
                channels=len(CAMERAS),
                video=DEMO_VIDEO,
            )
        )
        device.channels = [
            SimChannel(c.id, c.name, c.longitude, c.latitude, c.heading, c.ptz_type)
            for c in CAMERAS
        ]
        await device.start()
        self.device = device

    async def stop(self) -> None:
        device, self.device = self.device, None
        if device is not None:
            await device.stop()
