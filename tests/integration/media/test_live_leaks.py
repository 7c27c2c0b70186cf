"""200 start/stop cycles of GB sources leave no task, port, file descriptor, thread or SSRC."""

from __future__ import annotations

import asyncio
import os
import threading

import pytest

from tests.integration.media.live_support import CHANNEL, GbTestProvider, media_node
from tests.waiting import until
from vigil.app import Vigil
from vigil.media.packet import StreamKey

__all__ = ["media_node"]  # the fixture, imported

pytestmark = pytest.mark.timeout(120)

CYCLES = 200
TRANSPORTS = ("udp", "tcp_passive", "tcp_active")


def resources() -> tuple[int, int, int]:
    return len(asyncio.all_tasks()), len(os.listdir("/proc/self/fd")), threading.active_count()


async def one_cycle(node: Vigil, provider: GbTestProvider, transport: str) -> None:
    provider.transport = transport  # type: ignore[assignment]
    viewer = await node.media.broadcasts.join(StreamKey(CHANNEL))
    try:
        first = await asyncio.wait_for(anext(viewer.fragments), 5)
        assert first.keyframe
    finally:
        viewer.close()
    for _ in range(200):  # linger 0: the source stops as soon as the viewer leaves
        if not node.media.hub.streams() and not node.media.ports.in_use:
            return
        await asyncio.sleep(0.005)
    raise AssertionError("the source was not stopped")


async def test_start_stop_cycles_leak_nothing(media_node: Vigil) -> None:
    media = media_node.media
    media.hub.linger = 0
    provider = GbTestProvider(media)
    media.register_provider("gb28181", provider)
    await one_cycle(media_node, provider, "udp")  # warm-up: codecs loaded, pools created
    await until(lambda: provider.byes == 1, "the warm-up's BYE")
    await asyncio.sleep(0.05)  # the warm-up's last callbacks: the baseline is what stays
    before = resources()
    for cycle in range(CYCLES):
        await one_cycle(media_node, provider, TRANSPORTS[cycle % len(TRANSPORTS)])
    await until(lambda: provider.byes == CYCLES + 1, "a BYE for every cycle")
    await until(lambda: resources() == before, "back to the resources before the cycles", 5)
    assert media.ports.in_use == frozenset()
    assert media.ssrcs.in_use == frozenset()
    assert media.broadcasts.active == {}
    assert resources() == before
