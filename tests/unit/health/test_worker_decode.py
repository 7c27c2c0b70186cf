"""The diagnosis worker converts only the frames a round uses, and they are the same frames."""

from fractions import Fraction

import av
import numpy as np

from vigil.health.worker import decode


def packets(count: int) -> list[bytes]:
    encoder = av.VideoCodecContext.create("libx264", "w")
    encoder.width, encoder.height, encoder.pix_fmt = 96, 64, "yuv420p"
    encoder.time_base, encoder.framerate = Fraction(1, 25), Fraction(25)
    encoder.options = {"preset": "ultrafast", "bframes": "0"}
    out: list[bytes] = []
    for i in range(count):
        image = np.full((64, 96, 3), 10 * i, np.uint8)
        frame = av.VideoFrame.from_ndarray(image, format="rgb24")
        frame.pts = i
        out.extend(bytes(p) for p in encoder.encode(frame))
    out.extend(bytes(p) for p in encoder.encode(None))
    return out


def test_picked_frames_are_those_spread_evenly_over_all() -> None:
    data = packets(20)
    every = decode("h264", data)
    assert len(every) == 20
    picked = decode("h264", data, 8)
    indices = np.linspace(0, 19, 8).round().astype(int)
    assert len(picked) == 8
    for frame, i in zip(picked, indices, strict=True):
        assert np.array_equal(frame, every[i])
    assert len(decode("h264", data, 50)) == 20  # fewer frames than asked: all of them
