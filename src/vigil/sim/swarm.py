"""Many simulated devices on one asyncio loop: the demo's cameras, a test's fleet, a benchmark.

The video loop is encoded once before any device starts, so a swarm of a thousand costs one
encode. Over UDP, devices share sockets (``devices_per_socket`` to each, routed by Request-URI),
as behind a gateway, so a large swarm does not take thousands of ports; a device moved with
``move_to`` leaves its shared socket for one of its own. Over TCP each device keeps its own
connection, as GB/T 28181-2022 requires. Registrations are spread at ``start_rate`` per second so
the platform sees a realistic start-up rather than a thundering herd.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from vigil.sim.catalog import DEFAULT_CENTRE
from vigil.sim.config import DeviceConfig, GbVersion
from vigil.sim.device import SimDevice
from vigil.sim.sip_link import SipLink, TransportName
from vigil.sim.video import VideoSpec, shared_loop

__all__ = ["Swarm", "SwarmConfig", "device_ids"]

log = logging.getLogger(__name__)

ID_DIGITS = 20


def device_ids(prefix: str, count: int, first: int = 1) -> list[str]:
    """``count`` 20-digit IDs: ``prefix`` then a zero-padded serial from ``first``."""
    width = ID_DIGITS - len(prefix)
    if not prefix.isdigit() or width < 1 or first + count > 10**width:
        raise ValueError(f"prefix {prefix!r} leaves no room for {count} serials")
    return [f"{prefix}{serial:0{width}d}" for serial in range(first, first + count)]


@dataclass(frozen=True, slots=True)
class SwarmConfig:
    """The fleet; every device gets the same settings and its own ID and channels."""

    count: int
    server: tuple[str, int]
    password: str
    channels: int = 4
    transport: TransportName = "udp"
    domain: str = "3402000000"
    server_id: str = "34020000002000000001"
    id_prefix: str = "34010400001180"
    first_serial: int = 1
    gb_version: GbVersion = "2016"
    keepalive_interval: float = 60.0
    register_expires: int = 3600
    catalog_page_size: int = 4
    local_host: str = "127.0.0.1"
    centre: tuple[float, float] = DEFAULT_CENTRE
    devices_per_socket: int = 1
    start_rate: float = 200.0
    video: VideoSpec = field(default_factory=VideoSpec)

    def device_config(self, device_id: str) -> DeviceConfig:
        return DeviceConfig(
            device_id=device_id,
            server=self.server,
            password=self.password,
            server_id=self.server_id,
            domain=self.domain,
            transport=self.transport,
            local_host=self.local_host,
            channels=self.channels,
            gb_version=self.gb_version,
            register_expires=self.register_expires,
            keepalive_interval=self.keepalive_interval,
            catalog_page_size=self.catalog_page_size,
            centre=self.centre,
            video=self.video,
        )


class Swarm:
    """``await start()`` … ``await stop()``; the devices are in :attr:`devices`, in ID order."""

    def __init__(self, config: SwarmConfig) -> None:
        self.config = config
        ids = device_ids(config.id_prefix, config.count, config.first_serial)
        self.devices: list[SimDevice] = []
        self._configs = [config.device_config(i) for i in ids]
        self._links: list[SipLink] = []

    def device(self, device_id: str) -> SimDevice:
        for device in self.devices:
            if device.device_id == device_id:
                return device
        raise KeyError(device_id)

    async def start(self) -> None:
        """Encode the video, open shared sockets, start the devices at ``start_rate``."""
        config = self.config
        await shared_loop(config.video)
        per_socket = config.devices_per_socket if config.transport == "udp" else 1
        gap = 1.0 / config.start_rate
        for index, device_config in enumerate(self._configs):
            link = None
            if per_socket > 1:
                if index % per_socket == 0:
                    shared = SipLink("udp", config.local_host, config.server)
                    await shared.open()
                    self._links.append(shared)
                link = self._links[-1]
            device = SimDevice(device_config, link=link)
            await device.start()
            self.devices.append(device)
            await asyncio.sleep(gap)
        log.info(
            "swarm started",
            extra={"devices": len(self.devices), "sockets": len(self._links) or len(self.devices)},
        )

    async def wait_registered(self, timeout: float = 30.0) -> None:
        """Until every device is registered (``TimeoutError`` names how many are not)."""
        try:
            async with asyncio.timeout(timeout):
                for device in self.devices:
                    await device.registered.wait()
        except TimeoutError:
            missing = sum(not d.registered.is_set() for d in self.devices)
            raise TimeoutError(f"{missing} of {len(self.devices)} devices not registered") from None

    @property
    def registered(self) -> int:
        return sum(d.registered.is_set() for d in self.devices)

    @property
    def streams(self) -> int:
        return sum(len(d.calls.active) for d in self.devices)

    async def stop(self) -> None:
        """Stop every device (hang up, unregister), then close the shared sockets."""
        await asyncio.gather(*(d.stop() for d in self.devices), return_exceptions=True)
        for link in self._links:
            link.close()
        self._links.clear()
