"""PTZ not responding (云台失控): send a small PTZ move, see whether the picture moved, move back.

A check captures the channel's picture, pans it (``right`` for ``hold`` seconds, then ``stop``),
captures again from the first keyframe ``settle`` seconds after the stop (not the hub's cached
GOP, which may predate the move), and in every case pans back the same way (``left`` for
``hold``, ``stop``). The commands go through the platform's
own GB/T 28181 control path (:class:`~vigil.gb28181.devices.device_control.DeviceControls`)
as the system principal, so each move is audited like an operator's. The comparison is CPU work
for the worker process (:mod:`.ptz_worker`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Protocol

from vigil.governance.audited import Caller
from vigil.governance.permissions import SYSTEM, Principal
from vigil.health.capture import capture
from vigil.media import MediaPacket, StreamHub, StreamKey

__all__ = ["PTZ_TYPES", "PtzCaptures", "PtzMover", "PtzPlan", "move_and_capture"]

log = logging.getLogger(__name__)

#: GB/T 28181 PTZType values of channels that can pan: 1 dome, 2 half dome, 4 remote box camera.
PTZ_TYPES = frozenset({1, 2, 4})


class PtzMover(Protocol):
    """The control path PTZ commands go through (``DeviceControls.ptz``)."""

    async def ptz(
        self, who: Principal | Caller, channel_id: str, action: str, speed: int
    ) -> None: ...


@dataclass(frozen=True, slots=True)
class PtzPlan:
    """How far and how long a check moves, and how much it captures."""

    speed: int = 128  # 0-255: a few degrees a step, well outside what noise could explain
    hold: float = 0.5  # seconds the move lasts before ``stop``
    settle: float = 2.0  # seconds for the motor to stop and the encoder to catch up
    seconds: float = 1.5  # stream seconds each capture covers
    max_packets: int = 90
    timeout: float = 15.0


@dataclass(frozen=True, slots=True)
class PtzCaptures:
    """The pictures before and after a PTZ move, and the codec they are in."""

    codec: str
    before: list[MediaPacket]
    after: list[MediaPacket]


async def _move(mover: PtzMover, channel_id: str, action: str, plan: PtzPlan) -> None:
    await mover.ptz(SYSTEM, channel_id, action, plan.speed)
    await asyncio.sleep(plan.hold)
    await mover.ptz(SYSTEM, channel_id, "stop", plan.speed)


async def move_and_capture(
    hub: StreamHub, mover: PtzMover, channel_id: str, plan: PtzPlan
) -> PtzCaptures:
    """Capture, move right, capture, and (whatever happened) move back left."""
    key = StreamKey(channel_id)
    before = await capture(hub, key, plan.seconds, plan.max_packets, plan.timeout)
    moved = False
    try:
        await _move(mover, channel_id, "right", plan)
        moved = True
        since = time.time() + plan.settle
        after = await capture(hub, key, plan.seconds, plan.max_packets, plan.timeout, since)
    finally:
        if moved:
            try:
                await _move(mover, channel_id, "left", plan)
            except Exception:
                log.exception("PTZ check could not move back", extra={"channel": channel_id})
    return PtzCaptures(before[0].codec.value, before, after)
