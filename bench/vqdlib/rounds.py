"""Labelled rounds of one camera, through a codec and back.

Every round of a camera (its history first, then the labelled ones) is rendered, encoded with
libx264 into one file (a keyframe at each round's first frame, ``FPS`` frames a second), and
decoded again: the diagnosis and FFmpeg's detectors see the same decoded pictures, as a worker
does after the stream hub.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

from vigil.health.diagnosis import FaultKind
from vqdlib.faults import IMPAIRMENTS, SEVERITIES, camera_output, frozen
from vqdlib.sources import FPS, FRAMES, Camera, Clip

__all__ = ["Round", "decode", "encode", "labelled"]


@dataclass(frozen=True)
class Round:
    label: str  # a FaultKind value, "healthy" or "night"
    severity: str  # one of SEVERITIES, or "" for the unimpaired rounds
    camera: str


def labelled(camera: Camera, other: Clip, rng: np.random.Generator) -> Iterator[tuple[Round, Clip]]:
    """Per scene: two healthy rounds, one greyscale (night mode) round, and every fault at every
    severity; ``other`` is another camera's view (the severe "camera moved")."""
    for scene in camera.scenes:
        for _ in range(2):
            yield Round("healthy", "", camera.name), camera_output(scene, rng)
        grey = [
            cv2.cvtColor(cv2.cvtColor(f, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR) for f in scene
        ]
        yield Round("night", "", camera.name), camera_output(grey, rng)
        for s, severity in enumerate(SEVERITIES):
            for kind, impair in IMPAIRMENTS.items():
                clip = camera_output(impair(scene, s, rng, other), rng)
                yield Round(kind.value, severity, camera.name), clip
            clip = frozen(camera_output(scene, rng), s, rng)
            yield Round(FaultKind.frozen.value, severity, camera.name), clip


def encode(clips: list[Clip], path: Path) -> None:
    """All ``clips`` one after the other, each starting on a keyframe."""
    with av.open(str(path), "w", format="matroska") as container:
        stream = container.add_stream("libx264", rate=FPS)
        h, w = clips[0][0].shape[:2]
        stream.width, stream.height, stream.pix_fmt = w, h, "yuv420p"
        stream.codec_context.time_base = Fraction(1, FPS)
        stream.options = {
            "crf": "14",
            "preset": "ultrafast",
            "x264-params": f"keyint={FRAMES}:min-keyint={FRAMES}:scenecut=0",
        }
        pts = 0
        for clip in clips:
            for f in clip:
                frame = av.VideoFrame.from_ndarray(f, format="bgr24")
                frame.pts = pts
                pts += 1
                container.mux(stream.encode(frame))
        container.mux(stream.encode(None))


def decode(path: Path) -> list[Clip]:
    """The file's frames, cut back into rounds of ``FRAMES``."""
    with av.open(str(path)) as container:
        frames = [f.to_ndarray(format="bgr24") for f in container.decode(video=0)]
    if len(frames) % FRAMES:
        raise ValueError(f"{len(frames)} frames decoded from {path.name}: not whole rounds")
    return [frames[i : i + FRAMES] for i in range(0, len(frames), FRAMES)]
