"""The footage camera's live stream, received and decoded as a platform would: across the end of
the loop the timestamps keep growing a frame at a time, every frame decodes, and the pictures
are the clip's (PSNR against the source, frame by frame)."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import av
import numpy as np

from tests.integration.sim.conftest import DEVICE_ID
from tests.integration.sim.platform import TestPlatform
from tests.integration.sim.test_media import call
from tests.unit.sim.footage import MIN_PSNR, VTEST, needs_vtest, psnr, source_frames
from vigil.protocols.ps import AccessUnit
from vigil.sim import Footage, SimDevice, VideoSpec

StartDevice = Callable[..., Any]


def decode_rgb(units: list[AccessUnit]) -> list[np.ndarray]:
    context = av.CodecContext.create("h264", "r")
    pictures: list[av.VideoFrame] = []
    for unit in units:
        pictures += context.decode(av.Packet(unit.data))
    pictures += context.decode(None)
    return [p.to_ndarray(format="rgb24") for p in pictures]


@needs_vtest
async def test_the_footage_stream_loops_with_growing_timestamps(
    tmp_path: Path, platform: TestPlatform, make_device: StartDevice
) -> None:
    # Two seconds of vtest.avi, so the loop ends within the test; the demo loops all 79 s.
    video = VideoSpec.of_footage(Footage(VTEST, tmp_path, seconds=2.0))
    loop = video.loop_frames
    device: SimDevice = await make_device(platform, video=video)
    receiver, _, dialog = await call(platform, device, "udp")
    try:
        await receiver.wait_packets(1)
        await asyncio.sleep(3.2)  # the loop, then a second of its next round
        units = receiver.units()
    finally:
        await platform.in_dialog(dialog, "BYE", DEVICE_ID)
        await receiver.close()
    assert len(units) > loop + 5
    ticks = [u.pts or 0 for u in units]
    assert {b - a for a, b in itertools.pairwise(ticks)} == {90000 // video.fps}
    assert [n for n, u in enumerate(units) if u.keyframe][:3] == [0, 10, 20]
    pictures = decode_rgb(units)
    assert len(pictures) == len(units)
    sources = source_frames(VTEST, loop)
    for n in (0, loop - 1, loop, loop + 1, len(units) - 1):  # the seam, and the last received
        assert psnr(pictures[n], sources[n % loop]) > MIN_PSNR, n
