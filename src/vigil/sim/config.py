"""What one simulated device is: its IDs, the platform it registers with, and its behaviour knobs.

Defaults match Vigil's own defaults (platform ID 34020000002000000001, domain 3402000000,
Asia/Shanghai), so ``vigil sim devices`` against ``vigil demo`` needs no options but the password.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from vigil.protocols.errors import GbIdError
from vigil.protocols.gbid import GbId
from vigil.sim.catalog import DEFAULT_CENTRE
from vigil.sim.sip_link import TransportName
from vigil.sim.video import VideoSpec

__all__ = ["GB_VERSIONS", "DeviceConfig", "GbVersion"]

GbVersion = Literal["2016", "2022"]
#: The X-GB-Ver header value and the MANSCDP charset of each edition (2022 mandates GB18030).
GB_VERSIONS: dict[str, tuple[str, str]] = {"2016": ("2.0", "GB2312"), "2022": ("3.0", "GB18030")}


@dataclass(frozen=True, slots=True)
class DeviceConfig:
    """One device; times in seconds."""

    device_id: str
    server: tuple[str, int]
    password: str
    server_id: str = "34020000002000000001"
    domain: str = "3402000000"
    transport: TransportName = "udp"
    local_host: str = "127.0.0.1"
    channels: int = 4
    gb_version: GbVersion = "2016"
    register_expires: int = 3600
    register_retry: float = 5.0
    keepalive_interval: float = 60.0
    keepalive_misses: int = 3
    catalog_page_size: int = 4
    record_page_size: int = 4
    record_days: int = 7
    timezone: str = "Asia/Shanghai"
    centre: tuple[float, float] = DEFAULT_CENTRE
    video: VideoSpec = field(default_factory=VideoSpec)
    #: Channels whose camera sends other video than ``video`` (an old D1 camera on an HD NVR).
    channel_video: Mapping[str, VideoSpec] = field(default_factory=dict)

    def __post_init__(self) -> None:
        try:
            GbId.parse(self.device_id)
        except GbIdError as exc:
            raise ValueError(f"device ID: {exc}") from None
        if self.gb_version not in GB_VERSIONS:
            raise ValueError(f"gb_version must be 2016 or 2022, got {self.gb_version!r}")
        if not 1 <= self.channels <= 999 or self.catalog_page_size < 1:
            raise ValueError("channels must be 1..999 and catalog_page_size at least 1")
        if self.register_expires < 0 or self.keepalive_interval <= 0:
            raise ValueError("register_expires must be >= 0 and keepalive_interval > 0")

    @property
    def gb_header(self) -> str:
        """The X-GB-Ver value."""
        return GB_VERSIONS[self.gb_version][0]

    def video_of(self, channel_id: str) -> VideoSpec:
        """What ``channel_id``'s camera sends."""
        return self.channel_video.get(channel_id, self.video)

    @property
    def charset(self) -> str:
        """The charset MANSCDP bodies are written in."""
        return GB_VERSIONS[self.gb_version][1]
