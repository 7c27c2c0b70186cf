"""The picture faults video quality diagnosis (视频质量诊断) looks for, and what a round found."""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["PICTURE_KINDS", "FaultKind", "Finding"]


class FaultKind(enum.StrEnum):
    """One kind of picture fault; the value is the stable name used in the store and the API."""

    no_signal = "no_signal"  # black or a uniform picture: no video from the sensor
    frozen = "frozen"  # the picture does not change at all
    blur = "blur"  # defocus or a dirty lens
    too_dark = "too_dark"
    too_bright = "too_bright"
    low_contrast = "low_contrast"
    colour_cast = "colour_cast"
    noise = "noise"  # noise and snow
    stripes = "stripes"  # periodic interference bands
    rolling = "rolling"  # the picture scrolls vertically (sync lost)
    occlusion = "occlusion"  # lens covered or view blocked
    scene_changed = "scene_changed"  # the camera moved away from its preset's view
    ptz_not_responding = "ptz_not_responding"  # a PTZ move was sent, the picture did not move


#: The kinds a picture round judges; PTZ is judged by its own check (:mod:`vigil.health.ptz_check`).
PICTURE_KINDS: tuple[FaultKind, ...] = tuple(
    k for k in FaultKind if k is not FaultKind.ptz_not_responding
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One detector's verdict on one round: its score, the threshold it was held to, bad or not.

    ``score`` grows with the severity of the fault (each detector documents its unit);
    ``threshold`` is the score above which the round is bad for this camera (its baseline applied).
    """

    kind: FaultKind
    score: float
    threshold: float
    bad: bool
