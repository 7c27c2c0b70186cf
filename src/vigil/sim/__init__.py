"""GB/T 28181 device simulators and synthetic video for the demo, tests and benchmarks.

::

    swarm = Swarm(SwarmConfig(count=10, channels=4, server=("127.0.0.1", 5060), password="…"))
    await swarm.start()                  # encodes the video loop once, registers every device
    device = swarm.devices[0]            # a SimDevice: pause_keepalives(), move_to(), ptz(), …
    await swarm.stop()                   # hangs up, unregisters

    platform = SimPlatform(DeviceConfig(device_id="…200…", server=…, password="…"))
    await platform.start()               # a lower platform: its tree of groups, NVRs, cameras
    await platform.notify("OFF", [camera_id])   # NOTIFY catalog subscribers

Everything in ``__all__`` is the public API; the submodules are implementation detail.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vigil.lazy import lazy_exports

if TYPE_CHECKING:
    from vigil.sim.catalog import SimChannel, channel_id, make_channels
    from vigil.sim.config import DeviceConfig, GbVersion
    from vigil.sim.controls import ChannelPtz, ControlState
    from vigil.sim.device import SimDevice
    from vigil.sim.footage import Footage, FootageError
    from vigil.sim.platform import SimPlatform
    from vigil.sim.platform_tree import PlatformTree, TreeChannel, make_tree
    from vigil.sim.swarm import Swarm, SwarmConfig, device_ids
    from vigil.sim.video import GopLoop, VideoSpec, encode_loop, shared_loop

# Each name is imported from its module when first used: ``vigil --help`` loads ``vigil.sim.cli``
# and must not load PyAV and the SIP stack with it.
_WHERE = {
    "ChannelPtz": "controls",
    "ControlState": "controls",
    "DeviceConfig": "config",
    "Footage": "footage",
    "FootageError": "footage",
    "GbVersion": "config",
    "GopLoop": "video",
    "PlatformTree": "platform_tree",
    "SimChannel": "catalog",
    "SimDevice": "device",
    "SimPlatform": "platform",
    "Swarm": "swarm",
    "SwarmConfig": "swarm",
    "TreeChannel": "platform_tree",
    "VideoSpec": "video",
    "channel_id": "catalog",
    "device_ids": "swarm",
    "encode_loop": "video",
    "make_channels": "catalog",
    "make_tree": "platform_tree",
    "shared_loop": "video",
}

__all__ = [
    "ChannelPtz",
    "ControlState",
    "DeviceConfig",
    "Footage",
    "FootageError",
    "GbVersion",
    "GopLoop",
    "PlatformTree",
    "SimChannel",
    "SimDevice",
    "SimPlatform",
    "Swarm",
    "SwarmConfig",
    "TreeChannel",
    "VideoSpec",
    "channel_id",
    "device_ids",
    "encode_loop",
    "make_channels",
    "make_tree",
    "shared_loop",
]


__getattr__, __dir__ = lazy_exports(__name__, _WHERE, globals(), __all__)
