"""A local MP4 file played on loop, paced to real time, as a camera for tests and demos."""

from __future__ import annotations

import asyncio
import itertools
from fractions import Fraction
from pathlib import Path

import av
import pytest
import websockets

from tests.integration.media.live_support import (
    DEVICE,
    FPS,
    clip,
    decode,
    media_node,
    open_live,
    serve,
    set_device,
)
from vigil.app import Vigil

__all__ = ["media_node"]  # the fixture, imported

pytestmark = pytest.mark.timeout(60)


def tfdt(fragment: bytes) -> int:
    """baseMediaDecodeTime of a one-track fragment (version 0 or 1 tfdt)."""
    at = fragment.index(b"tfdt")
    version = fragment[at + 4]
    return int.from_bytes(fragment[at + 8 : at + (16 if version else 12)], "big")


async def test_file_loops_in_real_time(media_node: Vigil, tmp_path: Path) -> None:
    # The clip in MP4 (length-prefixed NAL units: exercises the conversion to Annex B).
    path = tmp_path / "clip.mp4"
    raw = tmp_path / "clip.h264"
    raw.write_bytes(b"".join(clip("h264")[:25]))
    with av.open(str(raw), format="h264") as src, av.open(str(path), "w") as out:
        stream = out.add_stream_from_template(src.streams.video[0])
        stream.time_base = Fraction(1, 12800)
        for i, packet in enumerate(src.demux(src.streams.video[0])):
            if packet.size:
                packet.stream = stream
                packet.time_base = Fraction(1, FPS)
                packet.pts = packet.dts = i
                packet.is_keyframe = i % FPS == 0  # the raw demuxer does not flag them
                out.mux(packet)
    await set_device(media_node, DEVICE, source="file", url=str(path))
    async with serve(media_node) as base:
        live = await open_live(base)
        started = asyncio.get_running_loop().time()
        async with websockets.connect(live["ws_fmp4"]) as ws:
            init = await asyncio.wait_for(ws.recv(), 10)
            fragments = [await asyncio.wait_for(ws.recv(), 10) for _ in range(40)]
        elapsed = asyncio.get_running_loop().time() - started
    assert isinstance(init, bytes) and all(isinstance(f, bytes) for f in fragments)
    assert len(decode(init + b"".join(fragments))) == 40  # type: ignore[arg-type]
    # 40 frames of a 25-frame file: it looped; at 25 fps that takes about 1.6 s, not 0.
    assert elapsed > 1.2
    times = [tfdt(f) for f in fragments]  # type: ignore[arg-type]
    assert all(b > a for a, b in itertools.pairwise(times))
