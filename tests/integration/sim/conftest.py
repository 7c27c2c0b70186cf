"""A small video loop, so the encode at device start-up and the decode in tests stay cheap."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from tests.integration.sim.platform import PASSWORD, TestPlatform
from vigil.sim import DeviceConfig, SimDevice, VideoSpec

SMALL = VideoSpec(width=320, height=180, bitrate=300_000)
DEVICE_ID = "34010400001180000001"


def device_config(platform: TestPlatform, **overrides: object) -> DeviceConfig:
    settings: dict[str, object] = {
        "device_id": DEVICE_ID,
        "server": platform.address,
        "password": PASSWORD,
        "transport": platform.transport,
        "channels": 6,
        "keepalive_interval": 0.3,
        "video": SMALL,
    }
    settings.update(overrides)
    return DeviceConfig(**settings)  # type: ignore[arg-type]


@pytest.fixture
async def platform() -> AsyncIterator[TestPlatform]:
    async with TestPlatform("udp") as p:
        yield p


@pytest.fixture
async def make_device() -> AsyncIterator[Callable[..., object]]:
    """Start devices against a platform; every one is stopped after the test."""
    started: list[SimDevice] = []

    async def start(platform: TestPlatform, **overrides: object) -> SimDevice:
        device = SimDevice(device_config(platform, **overrides))
        await device.start()
        started.append(device)
        await device.wait_registered(5)
        return device

    yield start
    for device in started:
        await device.stop()
