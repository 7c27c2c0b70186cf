"""Shared by the footage tests: where the demo's clip is, a small clip made on the spot, the source
frames decoded from a clip, and PSNR."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[3]
VTEST = ROOT / "footage" / "vtest.avi"
# The re-encode's fidelity: vtest.avi comes back at 37–40 dB; a neighbouring frame of the same
# still-camera scene scores 25–28 dB against it, so the bar tells the right frame from the next.
MIN_PSNR = 33.0
needs_vtest = pytest.mark.skipif(
    not VTEST.is_file(), reason="footage/vtest.avi missing (make install: tools/fetch-footage.sh)"
)


def make_clip(
    path: Path, frames: int, *, fps: int = 10, size: tuple[int, int] = (160, 120)
) -> Path:
    """An MPEG-4 AVI (as vtest.avi is) of a square crossing a still, textured background."""
    width, height = size
    rng = np.random.default_rng(7)
    background = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=Fraction(fps))
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        for i in range(frames):
            image = background.copy()
            x = i * 4 % (width - 20)
            image[40:60, x : x + 20] = (250, 30, 30)
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return path


def source_frames(path: Path, count: int) -> list[np.ndarray]:
    """The clip's first ``count`` pictures as RGB."""
    with av.open(str(path)) as container:
        out: list[np.ndarray] = []
        for picture in container.decode(video=0):
            if len(out) == count:
                break
            out.append(picture.to_ndarray(format="rgb24"))
        return out


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    """Peak signal-to-noise ratio in dB between two RGB pictures of one size."""
    error = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return float("inf") if error == 0 else 10 * float(np.log10(255**2 / error))
