"""Analysis worker processes: frames in through a shared-memory ring, detections out on a queue.

:class:`AnalysisWorker` starts one process (``spawn``: ONNX Runtime and FFmpeg do not survive a
fork) that loads the detector once and analyses every frame offered to it, each camera with its
own motion gate. Offering never blocks: when the worker is behind and the ring is full, the frame
is dropped and counted. The worker sends one :class:`FrameResult` per frame it analysed.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import time
from dataclasses import dataclass
from multiprocessing.queues import Queue
from pathlib import Path

import cv2
import numpy as np

from vigil.analytics.detect.boxes import Detection
from vigil.analytics.detect.detector import Detector
from vigil.analytics.frames.analysis import analyse_batch
from vigil.analytics.frames.motion import MotionGate
from vigil.analytics.frames.ring import FrameRing, RingHandle, RingReader
from vigil.child import follow_parent

__all__ = ["AnalysisWorker", "FrameMeta", "FrameResult", "WorkerConfig"]


@dataclass(frozen=True)
class WorkerConfig:
    """How a worker analyses: the model, the data directory of its cache, threads, gating."""

    data_dir: Path
    model: str = "nanodet"
    threads: int = 1
    gated: bool = True


@dataclass(frozen=True)
class FrameMeta:
    """Which frame a slot holds: the camera, the frame's number and time."""

    camera: str
    index: int
    time: float


@dataclass(frozen=True)
class FrameResult:
    """What the worker found in one frame; ``skipped`` when the motion gate kept it back."""

    meta: FrameMeta
    objects: tuple[Detection, ...]
    skipped: bool


def _work(
    handle: RingHandle, results: Queue[FrameResult], config: WorkerConfig, parent: int
) -> None:
    """The worker process's body: until the ring finishes, analyse the frames ready (together:
    a GPU batches them) and free their slots."""
    follow_parent(parent)
    cv2.setNumThreads(1)  # one worker per core: OpenCV's pool would only contend
    reader = RingReader(handle)
    gates: dict[str, MotionGate] = {}
    try:
        detector = Detector(config.model, data_dir=config.data_dir, threads=config.threads)
        finished = False
        while not finished:
            ready, finished = reader.drain()
            metas = [meta for _, meta in ready]
            cameras = [gates.setdefault(m.camera, MotionGate()) for m in metas]
            try:
                frames = [reader.frames[slot] for slot, _ in ready]
                found = analyse_batch(
                    frames, detector, cameras if config.gated else [None] * len(ready)
                )
            finally:
                for slot, _ in ready:
                    reader.release(slot)
            for meta, (objects, skipped) in zip(metas, found, strict=True):
                results.put(FrameResult(meta, tuple(objects), skipped))
    finally:
        reader.close()


class AnalysisWorker:
    """One worker process and the ring that feeds it frames of ``shape`` (H, W, 3)."""

    def __init__(self, config: WorkerConfig, shape: tuple[int, int, int], slots: int = 4) -> None:
        context = multiprocessing.get_context("spawn")
        self.ring = FrameRing(context, slots, shape)
        self.results: Queue[FrameResult] = context.Queue()
        self.process = context.Process(
            target=_work,
            args=(self.ring.handle(), self.results, config, os.getpid()),
            name="vigil.analytics.worker",
            daemon=True,
        )
        self.process.start()

    @property
    def dropped(self) -> int:
        """Frames dropped because every slot was busy."""
        return self.ring.dropped

    def offer(self, frame: np.ndarray, meta: FrameMeta) -> bool:
        """Hand ``frame`` to the worker; ``False`` when it was dropped (the worker is behind)."""
        return self.ring.offer(frame, meta)

    def stop(self, timeout: float = 30.0) -> list[FrameResult]:
        """Let the worker finish the frames it holds, end it, and return the results not read yet
        (read while it ends: a process exits only once its queue is flushed)."""
        self.ring.finish()
        left: list[FrameResult] = []
        deadline = time.monotonic() + timeout
        while self.process.is_alive() and time.monotonic() < deadline:
            with contextlib.suppress(queue.Empty):
                left.append(self.results.get(timeout=0.1))
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        with contextlib.suppress(queue.Empty):
            while True:
                left.append(self.results.get_nowait())
        self.ring.close()
        return left
