"""Synthetic camera streams for the recording tests: real H.264/H.265 from PyAV's libx264/libx265.

One GOP is encoded (distinct frames, so a decoder has something to show) and then repeated with
advancing timestamps and arrival times, so an hour of stream costs an hour's packets but only a
GOP's encoding. Arrival times are simulated: an hour is fed in seconds.
"""

from __future__ import annotations

import functools
import time
from collections.abc import AsyncIterator, Iterator
from fractions import Fraction
from typing import cast

import av
import numpy as np

from vigil.media.packet import Codec, MediaPacket

FPS = 5
GOP = 10  # frames: a keyframe every 2 s
# A whole hour two hours ago: recent enough that the node's own retention (30 days) keeps it.
T0 = float(int(time.time()) // 3600 * 3600 - 7200)
_ENCODERS = {Codec.H264: "libx264", Codec.HEVC: "libx265"}


@functools.cache
def encoded_gop(
    codec: Codec, fps: int = FPS, gop: int = GOP
) -> tuple[tuple[bytes, int, int, bool], ...]:
    """One closed GOP as (Annex B data, pts, dts, keyframe), 90 kHz ticks from 0."""
    context = cast(av.VideoCodecContext, av.CodecContext.create(_ENCODERS[codec], "w"))
    context.width, context.height, context.pix_fmt = 160, 120, "yuv420p"
    context.time_base = Fraction(1, 90_000)
    context.framerate = Fraction(fps)
    context.gop_size = gop
    if codec is Codec.H264:
        context.options = {"preset": "ultrafast", "tune": "zerolatency"}
    else:  # B-frames on, so pts and dts differ; closed GOPs, so a repeated GOP still decodes
        params = f"keyint={gop}:min-keyint={gop}:open-gop=0:bframes=2:log-level=error"
        context.options = {"preset": "ultrafast", "x265-params": params}
    packets = []
    for index in range(gop):
        shade = np.full((120, 160, 3), (index * 23) % 256, dtype=np.uint8)
        frame = av.VideoFrame.from_ndarray(shade, format="rgb24").reformat(format="yuv420p")
        frame.pts, frame.time_base = index * 90_000 // fps, context.time_base
        packets += context.encode(frame)
    packets += context.encode(None)
    out = tuple((bytes(p), _stamp(p.pts), _stamp(p.dts), bool(p.is_keyframe)) for p in packets)
    assert len(out) == gop and out[0][3] and not any(k for *_, k in out[1:])
    return out


def _stamp(ticks: int | None) -> int:
    """An encoded packet's pts or dts: the encoder gives every packet both."""
    assert ticks is not None
    return ticks


def stream(
    codec: Codec, seconds: float, start: float = T0, pts_start: int = 0, fps: int = FPS
) -> Iterator[MediaPacket]:
    """``seconds`` of stream arriving from ``start`` (epoch s), whole GOPs, in decode order."""
    gop = encoded_gop(codec, fps)
    gop_ticks = len(gop) * 90_000 // fps
    for number in range(round(seconds * fps) // len(gop)):
        for index, (data, pts, dts, key) in enumerate(gop):
            offset = pts_start + number * gop_ticks
            arrival = start + (number * len(gop) + index) / fps
            yield MediaPacket(codec, pts + offset, dts + offset, key, data, arrival)


async def feed(packets: Iterator[MediaPacket]) -> AsyncIterator[MediaPacket]:
    """The packets as an async iterator, as a hub subscription delivers them."""
    for packet in packets:
        yield packet
