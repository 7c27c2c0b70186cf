"""Take a diagnosis round's video from the stream hub: a short subscription, a keyframe onwards.

If the channel's stream runs (someone watches or records it), the subscription joins it and the
hub hands over its current GOP first, so nothing is opened on the camera. Otherwise the hub opens
the source for this subscription and stops it after its linger: a short on-demand pull. Either
way viewers are not disturbed; only compressed packets are kept (decoding is the worker's job).
"""

from __future__ import annotations

import asyncio

from vigil.errors import NotFound
from vigil.media import ConsumerDropped, MediaPacket, StreamHub, StreamKey

__all__ = ["capture"]

#: 90 kHz ticks per second (PS/RTP clock).
_CLOCK = 90_000


async def capture(
    hub: StreamHub,
    key: StreamKey,
    seconds: float,
    max_packets: int,
    timeout: float,
    since: float | None = None,
) -> list[MediaPacket]:
    """Video packets from a keyframe on, covering ``seconds`` of stream time (or ``max_packets``).

    With ``since`` (UTC epoch seconds) the first keyframe is one that arrived at or after it,
    not the hub's cached GOP: a picture from after some moment (a PTZ move), at the cost of
    waiting up to a GOP. Raises :class:`NotFound` when no keyframe came within ``timeout``.
    """
    packets: list[MediaPacket] = []

    async def collect() -> None:
        async with await hub.subscribe(key) as subscription:
            async for packet in subscription:
                if not packet.codec.is_video:
                    continue
                if not packets and not (
                    packet.keyframe and (since is None or packet.arrival >= since)
                ):
                    continue
                packets.append(packet)
                span = packet.pts - packets[0].pts
                if span >= seconds * _CLOCK or len(packets) >= max_packets:
                    return

    try:
        await asyncio.wait_for(collect(), timeout)
    except (TimeoutError, ConsumerDropped) as exc:
        if len(packets) < 2:
            raise NotFound(
                f"no video from {key} within {timeout:g} s", code="video.none", seconds=timeout
            ) from exc
    if len(packets) < 2:
        raise NotFound(
            f"the stream {key} ended before a round's frames arrived", code="video.ended"
        )
    return packets
