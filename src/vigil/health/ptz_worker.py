"""The CPU half of a PTZ check, run in the diagnosis worker process: did the picture move?

The frames before the move give the coarse structure of the view (:func:`coarse`); the frames
after it are compared with that (:func:`similarity`). A picture that is frozen or has no signal
before the move cannot tell whether the PTZ moved (those faults explain it): the check is then
inconclusive rather than a PTZ fault.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2

from vigil.health.diagnosis import Thresholds, coarse
from vigil.health.diagnosis.measures import measure, similarity
from vigil.health.worker import decode

__all__ = ["PtzJob", "PtzOutcome", "run_ptz"]

_SAMPLE = 6  # frames of each capture compared
_JPEG_QUALITY = 85


@dataclass(frozen=True, slots=True)
class PtzJob:
    """The PTZ check's CPU work for the worker process: both captures, compressed."""

    codec: str  # FFmpeg decoder name of both captures
    before: list[bytes]  # Annex B access units from a keyframe, before the move
    after: list[bytes]  # the same, after the move
    thresholds: Thresholds


@dataclass(frozen=True, slots=True)
class PtzOutcome:
    """The worker's verdict on a PTZ move: how alike the pictures are, and evidence."""

    similarity: float | None  # after against before; None: inconclusive (no live picture)
    still: bool  # the picture did not move
    evidence: bytes  # JPEG of a frame after the move


def run_ptz(job: PtzJob) -> PtzOutcome:
    before = decode(job.codec, job.before, _SAMPLE)
    after = decode(job.codec, job.after, _SAMPLE)
    if len(before) < 2 or len(after) < 2:
        raise ValueError("a PTZ check needs two frames before and after the move")
    ok, jpeg = cv2.imencode(".jpg", after[-1], [cv2.IMWRITE_JPEG_QUALITY, _JPEG_QUALITY])
    if not ok:
        raise ValueError("the evidence frame could not be encoded")
    t = job.thresholds
    figures = measure(before)
    if figures.contrast < t.no_signal_contrast or figures.motion < t.frozen_motion:
        return PtzOutcome(None, False, jpeg.tobytes())
    score = similarity(after, coarse(before))
    return PtzOutcome(score, score >= t.ptz_still, jpeg.tobytes())
