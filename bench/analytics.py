"""Analytics: how many cameras one CPU core analyses at 5 fps, decode included, with the motion gate
and without it (the reference, measured in the same run on the same frames), and what each stage
costs.

The cameras are copies of ``footage/vtest.avi`` (768×576, 10 fps, pedestrians and vehicles;
``make install`` fetches it) started at different points of the clip, so that they show different
moments. Each is decoded at 5 fps (every frame decoded, only the sampled ones converted), and each
sampled frame goes through the motion gate and, where it passed, the detector on the crop that
holds the motion (gated); the same frame also goes whole through the detector (ungated), and whole
through the detector in float (the packaged NanoDet runs in int8 on the CPU by default: the float
line says what that saves). Costs are
CPU time, so other load on the machine does not count: the gate's and the detector's are this
thread's (OpenCV and ONNX Runtime run on one thread here, as in a worker process); decoding's is
the rest of the process's (FFmpeg decodes on threads of its own, ahead of the frames asked for).
A camera costs 5 × (its stages' cost per sampled frame) CPU seconds a second.
With a CUDA device, the detector is also timed batched across the cameras (cameras per GPU).

    python bench/analytics.py [--cameras 4] [--seconds 16]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import cv2
import numpy as np

from vigil.analytics.detect.detector import Detector
from vigil.analytics.frames.analysis import detect_regions
from vigil.analytics.frames.motion import MotionGate
from vigil.analytics.frames.sampler import FrameSampler
from vigil.analytics.models.cache import providers

FOOTAGE = Path(__file__).resolve().parents[1] / "footage" / "vtest.avi"
CLIP_SECONDS = 79.5
FPS = 5.0
T = TypeVar("T")


@dataclass
class Costs:
    """CPU seconds per stage, summed over the sampled frames."""

    frames: int = 0
    stages: dict[str, float] = field(default_factory=dict)
    objects: dict[str, int] = field(default_factory=dict)
    skipped: int = 0

    def timed(self, stage: str, work: Callable[[], T]) -> T:
        start = time.thread_time()
        result = work()
        self.stages[stage] = self.stages.get(stage, 0.0) + time.thread_time() - start
        return result

    def per_frame_ms(self, stage: str) -> float:
        return 1000 * self.stages.get(stage, 0.0) / max(1, self.frames)


def run_cameras(
    costs: Costs, detectors: tuple[Detector, Detector], cameras: int, seconds: float
) -> None:
    """``cameras`` copies of the clip, camera k from k/cameras of it on, ``seconds`` of each,
    their sampled frames taken in turn (as they arrive live); each gated and ungated."""
    streams = [
        iter(FrameSampler(FOOTAGE, fps=FPS, start=k * CLIP_SECONDS / cameras))
        for k in range(cameras)
    ]
    gates = [MotionGate() for _ in streams]
    for _ in range(round(seconds * FPS)):
        for stream, gate in zip(streams, gates, strict=True):
            frame = next(stream, None)
            if frame is not None:
                analyse_frame(costs, detectors, gate, frame.image)


def analyse_frame(
    costs: Costs, detectors: tuple[Detector, Detector], gate: MotionGate, image: np.ndarray
) -> None:
    """Gate, then detect where it changed; detect the whole frame (the reference); and the whole
    frame in float."""
    detector, in_float = detectors
    costs.frames += 1
    regions = costs.timed("gate", lambda: gate.regions(image))
    found = []
    if regions:
        found = costs.timed("detect_gated", lambda: detect_regions(image, detector, regions))
    costs.skipped += not regions
    whole = costs.timed("detect_ungated", lambda: detector.detect(image))
    costs.timed("detect_fp32", lambda: in_float.detect(image))
    costs.objects["gated"] = costs.objects.get("gated", 0) + len(found)
    costs.objects["ungated"] = costs.objects.get("ungated", 0) + len(whole)


def cameras_per_core(ms_per_frame: float) -> float:
    return 1000 / (FPS * ms_per_frame) if ms_per_frame else 0.0


def gpu_cameras(data_dir: Path, cameras: int) -> float | None:
    """Cameras per GPU at 5 fps, the detector batched across ``cameras`` (None without CUDA)."""
    if "CUDAExecutionProvider" not in providers():
        return None
    detector = Detector(data_dir=data_dir)
    batch = [f.image for f, _ in zip(FrameSampler(FOOTAGE, fps=FPS), range(cameras), strict=False)]
    detector.detect_batch(batch)  # warm up
    start, rounds = time.perf_counter(), 50
    for _ in range(rounds):
        detector.detect_batch(batch)
    frames_per_second = rounds * len(batch) / (time.perf_counter() - start)
    return frames_per_second / FPS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cameras", type=int, default=4, help="concurrent cameras (1-8)")
    parser.add_argument("--seconds", type=float, default=16.0, help="seconds of video each")
    args = parser.parse_args()
    if not FOOTAGE.is_file():
        print(f"bench/analytics: {FOOTAGE} is missing: run `make install` (tools/fetch-footage.sh)")
        sys.exit(1)
    cameras = max(1, min(8, args.cameras))
    seconds = max(1.0, min(CLIP_SECONDS / cameras, args.seconds))
    cv2.setNumThreads(1)  # one core's work, as a worker process does it
    with tempfile.TemporaryDirectory() as scratch:
        data_dir = Path(scratch)
        detectors = (
            Detector(data_dir=data_dir, threads=1),
            Detector(data_dir=data_dir, threads=1, precision="fp32"),
        )
        for detector in detectors:
            detector.detect(np.zeros((576, 768, 3), np.uint8))  # warm up
        costs = Costs()
        started, cpu = time.perf_counter(), time.process_time()
        run_cameras(costs, detectors, cameras, seconds)
        wall = time.perf_counter() - started
        costs.stages["decode"] = time.process_time() - cpu - sum(costs.stages.values())
        per_gpu = gpu_cameras(data_dir, cameras)
    report(costs, cameras, seconds, wall, per_gpu)


def report(costs: Costs, cameras: int, seconds: float, wall: float, per_gpu: float | None) -> None:
    decode, gate = costs.per_frame_ms("decode"), costs.per_frame_ms("gate")
    detect_gated = costs.per_frame_ms("detect_gated")
    detect_ungated = costs.per_frame_ms("detect_ungated")
    detect_fp32 = costs.per_frame_ms("detect_fp32")
    gated = decode + gate + detect_gated
    ungated = decode + detect_ungated
    in_float = decode + detect_fp32
    print(f"vtest.avi: {cameras} cameras × {seconds:.0f} s at {FPS:.0f} fps: {costs.frames} frames")
    print(f"  motion gate skipped {costs.skipped} of {costs.frames} frames")
    print(
        f"  objects found: gated {costs.objects.get('gated', 0)}, "
        f"ungated {costs.objects.get('ungated', 0)}"
    )
    print(f"{'stage':<24}{'ms/frame (CPU)':>16}")
    for name, value in (
        ("decode (+ RGB)", decode),
        ("motion gate", gate),
        ("detect, gated", detect_gated),
        ("detect, ungated", detect_ungated),
        ("detect, ungated, fp32", detect_fp32),
        ("total, gated", gated),
        ("total, ungated", ungated),
        ("total, ungated, fp32", in_float),
    ):
        print(f"{name:<24}{value:>16.2f}")
    print(
        f"cameras per core at 5 fps: gated {cameras_per_core(gated):.2f}, "
        f"ungated {cameras_per_core(ungated):.2f}; "
        f"in float (ungated) {cameras_per_core(in_float):.2f}"
    )
    if per_gpu is not None:
        print(f"cameras per GPU at 5 fps (detector batched × {cameras}): {per_gpu:.1f}")
    result = {
        "bench": "analytics",
        "footage": "vtest.avi",
        "cameras": cameras,
        "frames": costs.frames,
        "fps": FPS,
        "gate_skipped": costs.skipped,
        "ms_per_frame": {
            "decode": round(decode, 2),
            "gate": round(gate, 2),
            "detect_gated": round(detect_gated, 2),
            "detect_ungated": round(detect_ungated, 2),
            "detect_fp32": round(detect_fp32, 2),
        },
        "cameras_per_core": round(cameras_per_core(gated), 2),
        "cameras_per_core_ungated": round(cameras_per_core(ungated), 2),
        "cameras_per_core_fp32": round(cameras_per_core(in_float), 2),
        "cameras_per_gpu": None if per_gpu is None else round(per_gpu, 1),
        "wall_s": round(wall, 1),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
