"""A diagnosis round's CPU work, run in a worker process: decode, sample, diagnose, evidence JPEG.

The job carries compressed packets (a few hundred kilobytes), never decoded frames; the result
carries figures and one JPEG. Nothing here touches the event loop or the database.
"""

from __future__ import annotations

from dataclasses import dataclass

import av
import cv2
import numpy as np

from vigil.health.diagnosis import Baseline, RoundResult, Thresholds, coarse, diagnose

__all__ = ["RoundJob", "RoundOutcome", "run_round"]

#: Frames a round diagnoses, spread evenly over what was captured.
ROUND_FRAMES = 8
_JPEG_QUALITY = 85


@dataclass(frozen=True, slots=True)
class RoundJob:
    """A diagnosis round's CPU work for the worker process: packets and what to judge by."""

    codec: str  # FFmpeg decoder name: "h264", "hevc"
    packets: list[bytes]  # Annex B access units, the first a keyframe
    baseline: dict[str, list[float]]
    thresholds: Thresholds
    reference: np.ndarray | None  # the preset's coarse picture; None: take it from this round


@dataclass(frozen=True, slots=True)
class RoundOutcome:
    """A round's diagnosis from the worker, with its evidence picture and reference."""

    result: RoundResult
    learnable: bool
    evidence: bytes  # JPEG of the round's middle frame
    reference: np.ndarray  # the reference used (the new one when the job had none)


def decode(codec: str, packets: list[bytes], count: int | None = None) -> list[np.ndarray]:
    """Every frame the packets decode to, or ``count`` of them spread evenly over them, as BGR
    arrays; only the frames returned are converted (at 1080p the conversion of a whole round
    cost about as much again as decoding it)."""
    decoder = av.VideoCodecContext.create(codec, "r")
    assert isinstance(decoder, av.VideoCodecContext)
    frames: list[av.VideoFrame] = []
    for data in [*packets, None]:
        frames.extend(decoder.decode(None if data is None else av.Packet(data)))
    if count is not None and frames:
        picks = np.linspace(0, len(frames) - 1, min(count, len(frames))).round().astype(int)
        frames = [frames[i] for i in picks]
    return [frame.to_ndarray(format="bgr24") for frame in frames]


def run_round(job: RoundJob) -> RoundOutcome:
    sample = decode(job.codec, job.packets, ROUND_FRAMES)
    if len(sample) < 2:
        raise ValueError(f"{len(sample)} frame(s) decoded; a round needs two")
    baseline = Baseline.from_json(job.baseline)
    reference = coarse(sample) if job.reference is None else job.reference
    result = diagnose(sample, baseline, job.thresholds, reference)
    ok, jpeg = cv2.imencode(
        ".jpg", sample[len(sample) // 2], [cv2.IMWRITE_JPEG_QUALITY, _JPEG_QUALITY]
    )
    if not ok:
        raise ValueError("the evidence frame could not be encoded")
    return RoundOutcome(result, result.learnable(baseline), jpeg.tobytes(), reference)
