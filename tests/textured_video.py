"""Busy synthetic video for the privacy-mask tests: 4-pixel checks with noise, a new picture
every frame, encoded by PyAV (libx264 / libx265, no B-frames), so a blurred region shows as a
collapse of pixel variance."""

from __future__ import annotations

from fractions import Fraction
from typing import Any, cast

import av
import numpy as np
from numpy.typing import NDArray

from vigil.media.packet import Codec, MediaPacket

WIDTH, HEIGHT, FPS, GOP = 320, 240, 10, 5
LEFT_HALF = ((0.0, 0.0), (0.5, 0.0), (0.5, 1.0), (0.0, 1.0))
BUSY = 1000.0
"""Pixel variance the clear picture stays above (it is about 6,000)."""
_ENCODERS = {Codec.H264: "libx264", Codec.HEVC: "libx265"}


def textured(index: int) -> NDArray[np.uint8]:
    """A busy picture: 4-pixel checks with noise, changing from frame to frame."""
    rng = np.random.default_rng(index)
    checks = ((np.indices((HEIGHT, WIDTH)) // 4).sum(axis=0) % 2 * 160).astype(np.int16)
    noisy = checks + rng.integers(0, 60, (HEIGHT, WIDTH))
    grey = np.clip(noisy, 0, 255).astype(np.uint8)
    return np.stack([grey, grey, grey], axis=-1)


def camera(codec: Codec, frames: int, start: float = 0.0) -> list[MediaPacket]:
    """A camera's stream of ``frames`` textured frames, a keyframe every :data:`GOP`, arriving
    from ``start`` (epoch seconds) at :data:`FPS`."""
    encoder = cast(av.VideoCodecContext, av.CodecContext.create(_ENCODERS[codec], "w"))
    encoder.width, encoder.height, encoder.pix_fmt = WIDTH, HEIGHT, "yuv420p"
    encoder.time_base, encoder.framerate = Fraction(1, 90_000), Fraction(FPS)
    encoder.gop_size = GOP
    encoder.max_b_frames = 0
    if codec is Codec.HEVC:
        encoder.options = {"preset": "ultrafast", "x265-params": f"keyint={GOP}:log-level=error"}
    else:
        encoder.options = {"preset": "ultrafast", "tune": "zerolatency"}
    coded: list[av.Packet[Any]] = []
    for index in range(frames):
        frame = av.VideoFrame.from_ndarray(textured(index), format="rgb24")
        frame = frame.reformat(format="yuv420p")
        frame.pts, frame.time_base = index * 90_000 // FPS, encoder.time_base
        coded += encoder.encode(frame)
    coded += encoder.encode(None)
    packets = []
    for p in coded:
        assert p.pts is not None and p.dts is not None
        arrival = start + p.pts / 90_000
        packets.append(MediaPacket(codec, p.pts, p.dts, p.is_keyframe, bytes(p), arrival))
    return packets


def halves(luma: NDArray[np.uint8]) -> tuple[float, float]:
    """Pixel variance of the left half and of the right half (8 px kept off the middle)."""
    width = luma.shape[1]
    picture = luma.astype(np.float64)
    return float(picture[:, 8 : width // 2 - 8].var()), float(picture[:, width // 2 + 8 :].var())
