"""The demo: a neighbourhood of one district with cameras where they would be, and devices behind
them.

``seed_demo`` loads the catalog's organisations, the district's GIS layers and the devices, and
files the cameras of the encoder that never comes online (safe at every start); with
``cameras=True`` (tests, benchmarks) it files the NVR's cameras too. ``DemoFleet`` then starts, in
the same process, a simulated NVR (``vigil.sim``) registering to the node's own SIP endpoint with a
random per-device password nobody needs to see. As with a real NVR, its cameras enter the catalog
from its catalog answer once it has registered; the demo then completes what a catalog does not
carry (field of view, HD flag, key-area category). Each camera gets a continuous recording plan and
is recorded from the start, so playback has video after a minute.

What makes the figures worth looking at: seven HD cameras (1280×720), one old SD camera that the
catalog calls HD (its stream says otherwise), an analogue encoder whose two cameras are on file
but offline, a dome with named presets, and footprints of tens of metres around five key public
areas of a few thousand square metres each.

The old camera (``FOOTAGE_CAMERA_ID``) streams real street footage, so that detection, tracking
and rules have people and vehicles to find: ``vtest.avi`` (768×576, 10 fps, 79 s looped) from
Debian's ``opencv-doc``, fetched into ``footage/`` by ``make install`` and re-encoded to H.264 once
into ``<data_dir>/footage``. Where it cannot be had, the log says so (a warning, and
``DemoFleet.footage_note``) and that camera sends the synthetic D1 picture instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from vigil.app import Vigil
from vigil.config import Settings
from vigil.coverage.crs import CoordinateSystem
from vigil.coverage.demo_district import ORIGIN, demo_layers
from vigil.coverage.projection import LocalPlane
from vigil.demo_rules import seed_rules
from vigil.errors import Conflict
from vigil.governance.password_policy import generate_password
from vigil.governance.permissions import SYSTEM, Principal
from vigil.media import RecordingSchedule, StreamKey
from vigil.sim import (
    DeviceConfig,
    Footage,
    FootageError,
    SimChannel,
    SimDevice,
    VideoSpec,
    shared_loop,
)
from vigil.store.models import Channel, OrgKind, Role, StreamResolution

__all__ = [
    "CAMERAS",
    "DEMO_RECORDING_MAX_GB",
    "ENCODER_CAMERAS",
    "ENCODER_ID",
    "FOOTAGE",
    "FOOTAGE_CAMERA_ID",
    "NVR_ID",
    "PRESETS",
    "DemoCamera",
    "DemoFleet",
    "demo_accounts",
    "demo_settings",
    "seed_demo",
]

log = logging.getLogger(__name__)

_PLANE = LocalPlane(*ORIGIN)

#: What the demo's cameras send: HD (720p, the least that counts as HD), and the D1 of an old
#: analogue-era camera. Light enough for eight streams recorded continuously on a laptop.
HD_VIDEO = VideoSpec(width=1280, height=720, bitrate=1_000_000)
D1_VIDEO = VideoSpec(width=704, height=576, bitrate=600_000)


@dataclass(frozen=True)
class DemoCamera:
    """A camera placed ``x`` metres east and ``y`` north of 长江西路 × 潜山路, looking along
    ``heading`` (compass degrees) with a horizontal field of view ``fov``."""

    id: str
    name: str
    x: float
    y: float
    heading: float
    fov: float
    ptz_type: int = 3  # GB/T 28181 PTZType: 1 dome, 3 fixed box
    hd: bool = True  # what the catalog says
    video: VideoSpec | None = HD_VIDEO  # what the camera sends (None: its device is offline)
    key_area_category: str | None = None

    @property
    def longitude(self) -> float:
        return round(float(_PLANE.to_lonlat(self.x, self.y)[0]), 7)

    @property
    def latitude(self) -> float:
        return round(float(_PLANE.to_lonlat(self.x, self.y)[1]), 7)


REGIONS = [("34", "安徽省"), ("3401", "合肥市"), ("340104", "蜀山区")]
DISTRICT = REGIONS[-1][0]
NVR_ID = "34010400001180000001"
ENCODER_ID = "34010400001130000001"
#: The NVR's cameras; the first is the dome.
CAMERAS = [
    DemoCamera("34010400001320000001", "长江西路与潜山路口 球机", 22, -28, 130, 30, ptz_type=1),
    DemoCamera(
        "34010400001320000002", "西园广场 北侧", 200, -236, 180, 40, key_area_category="square"
    ),
    DemoCamera(
        "34010400001320000003",
        "地铁潜山路站 1 号出入口",
        -52,
        42,
        125,
        40,
        key_area_category="transport hub",
    ),
    DemoCamera(
        "34010400001320000004",
        "蜀山区政务中心 正门",
        630,
        -716,
        180,
        40,
        key_area_category="government",
    ),
    DemoCamera(
        "34010400001320000005", "西园广场 南侧", 160, -324, 35, 40, key_area_category="square"
    ),
    DemoCamera(
        "34010400001320000006",
        "蜀山区示范小学 校门",
        370,
        -421,
        180,
        45,
        key_area_category="school",
    ),
    DemoCamera(
        "34010400001320000007",
        "蜀山区示范医院 门诊",
        92,
        -78,
        305,
        40,
        key_area_category="hospital",
    ),
    # An old camera the catalog calls HD; its stream is SD: the footage, or else D1.
    DemoCamera("34010400001320000008", "长江西路与肥西路口", 546, 6, 210, 60, video=D1_VIDEO),
]
#: The camera that streams the real footage (pedestrians and vehicles at a street corner).
FOOTAGE_CAMERA_ID = "34010400001320000008"
#: Where ``make install`` (tools/fetch-footage.sh) puts the footage: the checkout's footage/.
FOOTAGE = Path(__file__).resolve().parents[2] / "footage" / "vtest.avi"
#: The footage's H.264 rate: 768×576 at 10 fps looks like its source at 1 Mbit/s (PSNR ~39 dB).
FOOTAGE_BITRATE = 1_000_000
#: Behind an analogue encoder that is on file but never comes online: SD by the catalog, never
#: seen, never intact.
ENCODER_CAMERAS = [
    DemoCamera(
        "34010400001310000001", "黄山路与潜山路口 枪机", 6, -794, 100, 60, hd=False, video=None
    ),
    DemoCamera("34010400001310000002", "西园路 沿街", 280, -397, 90, 60, hd=False, video=None),
]
#: The dome's presets, as the camera holds them.
PRESETS = {1: "路口全景", 2: "医院门诊广场", 3: "地铁出入口"}
#: How long the fleet waits for the NVR's catalog, and then for its streams to be seen.
SETTLE_WAIT = 30.0


async def seed_demo(node: Vigil, *, cameras: bool = True) -> None:
    """Create what is missing of the demo (safe to run at every start); ``cameras``: file the
    NVR's cameras too, for a node that runs no simulated NVR."""
    parent: str | None = None
    for code, name in REGIONS:
        with contextlib.suppress(Conflict):
            await node.organisations.create(SYSTEM, code, name, OrgKind.region, parent)
        parent = code
    await _load_layers(node, DISTRICT)
    devices = [
        (NVR_ID, {"name": "蜀山区演示 NVR", "manufacturer": "Vigil"}),
        (ENCODER_ID, {"name": "三里庵模拟编码器", "manufacturer": "Vigil", "model": "DVS-2"}),
    ]
    for device_id, fields in devices:
        with contextlib.suppress(Conflict):
            await node.devices.create(SYSTEM, device_id, {**fields, "organisation_id": DISTRICT})
    await file_cameras(node, ENCODER_ID, ENCODER_CAMERAS)
    if cameras:
        await file_cameras(node, NVR_ID, CAMERAS)


async def file_cameras(node: Vigil, device_id: str, cameras: list[DemoCamera]) -> None:
    """File each camera, or complete the entry its device's catalog made."""
    for camera in cameras:
        fields = _fields(camera)
        try:
            await node.channels.create(SYSTEM, camera.id, device_id, fields)
        except Conflict:
            await node.channels.update(SYSTEM, camera.id, fields)


def _fields(camera: DemoCamera) -> dict[str, Any]:
    return {
        "name": camera.name,
        "civil_code": DISTRICT,
        "longitude": camera.longitude,
        "latitude": camera.latitude,
        "heading": camera.heading,
        "fov": camera.fov,
        "hd": camera.hd,
        "ptz_type": camera.ptz_type,
        "key_area_category": camera.key_area_category,
    }


async def _load_layers(node: Vigil, district: str) -> None:
    """The district's GIS layers, each unless it already has features there."""
    for kind, features in demo_layers().items():
        if not await node.gis.export(SYSTEM, kind, district):
            await node.gis.import_features(SYSTEM, kind, features, CoordinateSystem.wgs84, district)


async def demo_accounts(node: Vigil, by: Principal) -> list[tuple[str, str]]:
    """Fresh passwords for the demo's people: the admin, and an auditor (created the first
    time) who reads the audit log the admin cannot; ``by`` is who does it (audited)."""
    accounts = []
    for username, role in (("admin", Role.admin), ("auditor", Role.auditor)):
        password = generate_password()
        try:
            await node.users.create(by, username, password, role, [])
        except Conflict:
            password = await node.users.reset_password(by, username)
        accounts.append((username, password))
    return accounts


#: Unless ``VIGIL_RECORDING_MAX_GB`` says otherwise, the demo keeps the newest 5 GB of recordings
#: and retention deletes the rest (the README states how many hours that is).
DEMO_RECORDING_MAX_GB = 5.0


def demo_settings(settings: Settings) -> Settings:
    """The settings the demo runs with: the demo's recording cap unless one was set."""
    if settings.recording_max_gb is not None:
        return settings
    return settings.model_copy(update={"recording_max_gb": DEMO_RECORDING_MAX_GB})


class DemoFleet:
    """The simulated NVR behind the demo cameras; ``await start()`` once SIP is up.

    ``footage``: the clip the footage camera streams (None: the synthetic picture); after
    ``start()``, ``footage_note`` says why it could not be had, if it could not.
    """

    def __init__(self, node: Vigil, footage: Path | None = FOOTAGE) -> None:
        self._node = node
        self._footage = footage
        self.device: SimDevice | None = None
        self.footage_note: str | None = None

    async def start(self) -> None:
        """Register the NVR, wait for its catalog, complete its cameras' entries, record them;
        return once their streams were seen."""
        node, settings = self._node, self._node.settings
        password = secrets.token_urlsafe(18)
        await node.gb.set_password(SYSTEM, NVR_ID, password)
        channel_video = {c.id: c.video for c in CAMERAS if c.video is not None}
        footage_video = await self._footage_video()
        if footage_video is not None:
            channel_video[FOOTAGE_CAMERA_ID] = footage_video
        device = SimDevice(
            DeviceConfig(
                device_id=NVR_ID,
                server=(settings.sip_host, node.gb.port),
                password=password,
                server_id=settings.sip_id,
                domain=settings.sip_domain,
                channels=len(CAMERAS),
                video=HD_VIDEO,
                channel_video=channel_video,
            )
        )
        device.channels = [
            SimChannel(c.id, c.name, c.longitude, c.latitude, c.heading, c.ptz_type)
            for c in CAMERAS
        ]
        device.ptz(CAMERAS[0].id).presets.update(PRESETS)
        await device.start()
        self.device = device
        await self._until(self._catalog_arrived)
        await file_cameras(node, NVR_ID, CAMERAS)
        for camera in CAMERAS:
            await node.recording.plans.save(camera.id, RecordingSchedule())
            node.autorecord.keep(StreamKey(camera.id))
        if footage_video is not None:
            await seed_rules(node, FOOTAGE_CAMERA_ID)
        await self._until(self._streams_seen)

    async def _footage_video(self) -> VideoSpec | None:
        """The footage camera's video, its loop ready (encoded on the first start, seconds; read
        from the cache after); None, with a warning saying why, where it cannot be had."""
        if self._footage is None:
            return None
        try:
            if not self._footage.is_file():
                raise FootageError(f"{self._footage} not found (make install fetches it)")
            footage = Footage(self._footage, self._node.settings.data_dir / "footage")
            video = await asyncio.to_thread(VideoSpec.of_footage, footage, bitrate=FOOTAGE_BITRATE)
            await shared_loop(video)
        except FootageError as exc:
            self.footage_note = (
                f"demo footage missing: {exc}; camera {FOOTAGE_CAMERA_ID} "
                "sends the synthetic picture"
            )
            log.warning(
                "demo footage missing: the footage camera sends the synthetic picture",
                extra={"channel_id": FOOTAGE_CAMERA_ID, "reason": str(exc)},
            )
            return None
        log.info(
            "demo footage streams",
            extra={"channel_id": FOOTAGE_CAMERA_ID, "footage": str(self._footage)},
        )
        return video

    async def stop(self) -> None:
        device, self.device = self.device, None
        if device is not None:
            await device.stop()

    async def _until(self, done: Callable[[], Awaitable[bool]]) -> None:
        """Wait until ``done()``, or ``SETTLE_WAIT`` seconds (then go on: what follows copes)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SETTLE_WAIT
        while not await done() and loop.time() < deadline:
            await asyncio.sleep(0.2)

    async def _catalog_arrived(self) -> bool:
        """The NVR's catalog put its cameras on file (``file_cameras`` files what is missing)."""
        async with self._node.db.session() as session:
            filed = await session.scalar(
                select(func.count()).select_from(Channel).where(Channel.device_id == NVR_ID)
            )
        return filed == len(CAMERAS)

    async def _streams_seen(self) -> bool:
        """Every camera's stream started and its picture size is known: from here on the
        figures (HD ratio, footprints) rest on what the streams are."""
        async with self._node.db.session() as session:
            seen = await session.scalar(
                select(func.count())
                .select_from(StreamResolution)
                .where(StreamResolution.channel_id.in_([c.id for c in CAMERAS]))
            )
        return seen == len(CAMERAS)
