"""Video quality diagnosis: precision and recall per fault and severity on held-out real video,
beside FFmpeg's detectors, and what a whole diagnosis round costs.

Two sets of "cameras" that share no picture (``vqdlib.sources``): the tuning set (seven photos and
``vtest.avi``: the diagnosis thresholds were tuned on it, and the FFmpeg reference's thresholds
are chosen on it here) and the held-out set (four real clips from Debian and PyPI packages, never
used to choose anything). Every camera learns its baseline from its own healthy rounds; then each
fault is applied at three severities (``vqdlib.faults``), every round is encoded with libx264,
decoded and diagnosed, and FFmpeg's ``blackdetect``, ``freezedetect`` and ``blurdetect`` run on
the same file (``vqdlib.reference``). Healthy and greyscale (night mode) rounds are the negatives.
The figures reported are the held-out set's, with 95 % Wilson intervals; the tuning set's are
shown for comparison only. ``ptz_not_responding`` is judged by its own check, not a picture
round: it is not sampled here and not in any figure.

The rate is the whole round the service runs (``vigil.health.worker.run_round``: decode two
seconds of 1080p H.264, diagnose eight frames, encode the evidence JPEG), in CPU time.

    python bench/vqd.py
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from vigil.health.diagnosis import (
    PICTURE_KINDS,
    Baseline,
    FaultKind,
    Thresholds,
    coarse,
    diagnose,
)
from vqdlib.cost import RoundCost, round_cost
from vqdlib.faults import SEVERITIES, camera_output
from vqdlib.reference import (
    BLACK_PIX_TH,
    BLUR_RATIOS,
    FREEZE_NOISE_DB,
    FfmpegRound,
    detect,
)
from vqdlib.rounds import Round, decode, encode, labelled
from vqdlib.score import Tally, choose
from vqdlib.sources import Camera, held_out_cameras, tuning_cameras

TARGET_PRECISION, TARGET_RECALL, TARGET_RATE = 0.95, 0.90, 1000
THRESHOLDS = Thresholds()
FFMPEG_KINDS = (FaultKind.no_signal.value, FaultKind.frozen.value, FaultKind.blur.value)
KINDS = [k.value for k in PICTURE_KINDS]
#: What changed in the diagnosis after its figures on the held-out set were first seen.
SEEN = (
    "one defect was fixed after the first held-out run (a uniform white picture was reported "
    "no_signal, now too_bright): the no_signal and too_bright rows are no longer blind"
)


@dataclass
class CameraResult:
    rounds: list[Round]
    ours: list[frozenset[str]]
    ffmpeg: list[FfmpegRound]  # per labelled round
    ffmpeg_normal_blur: float  # median blurdetect figure of the camera's history rounds
    diagnosis_cpu: float


def run_camera(camera: Camera, other: Camera, seed: int, workdir: str) -> CameraResult:
    """Render, encode, decode and diagnose every round of ``camera``; run FFmpeg on the file."""
    rng = np.random.default_rng(seed)
    history = [camera_output(clip, rng) for clip in camera.history]
    tests = list(labelled(camera, other.scenes[0], rng))
    video = Path(workdir) / f"{camera.name}-{seed}.mkv"
    encode(history + [clip for _, clip in tests], video)
    decoded = decode(video)
    baseline, reference = Baseline(), coarse(decoded[0])
    for clip in decoded[: len(history)]:
        result = diagnose(clip, baseline, THRESHOLDS, reference)
        if result.learnable(baseline):
            baseline.learn(result.measures.as_dict())
    ours, cpu = [], 0.0
    for clip in decoded[len(history) :]:
        started = time.process_time()
        result = diagnose(clip, baseline, THRESHOLDS, reference)
        cpu += time.process_time() - started
        ours.append(frozenset(f.kind.value for f in result.faults))
    found = detect(video, len(decoded), Path(workdir))
    normal = [r.blur for r in found[: len(history)] if math.isfinite(r.blur)]
    return CameraResult(
        [r for r, _ in tests],
        ours,
        found[len(history) :],
        float(np.median(normal)) if normal else math.nan,
        cpu,
    )


def submit(
    cameras: list[Camera], seed: int, pool: ProcessPoolExecutor, workdir: str
) -> list[Future[CameraResult]]:
    """One job per camera, or per three of its scenes (so both workers stay busy)."""
    jobs = []
    for i, camera in enumerate(cameras):
        other = cameras[(i + 1) % len(cameras)]
        for j in range(0, len(camera.scenes), _SCENES_PER_JOB):
            part = Camera(camera.name, camera.history, camera.scenes[j : j + _SCENES_PER_JOB])
            jobs.append(pool.submit(run_camera, part, other, seed + 100 * i + j, workdir))
    return jobs


_SCENES_PER_JOB = 3


# --- scoring -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """The FFmpeg thresholds chosen on the tuning set."""

    freeze_db: int
    black_pix_th: float
    blur_ratio: float


def ffmpeg_found(r: FfmpegRound, normal: float, choice: Choice) -> set[str]:
    found = set()
    if r.black[BLACK_PIX_TH.index(choice.black_pix_th)]:
        found.add(FaultKind.no_signal.value)
    if r.frozen[FREEZE_NOISE_DB.index(choice.freeze_db)]:
        found.add(FaultKind.frozen.value)
    if math.isfinite(r.blur) and r.blur > choice.blur_ratio * normal:
        found.add(FaultKind.blur.value)
    return found


def ffmpeg_tally(results: list[CameraResult], choice: Choice) -> Tally:
    tally = Tally()
    for cam in results:
        for r, f in zip(cam.rounds, cam.ffmpeg, strict=True):
            found = ffmpeg_found(f, cam.ffmpeg_normal_blur, choice)
            tally.count(r.label, r.severity, found, r.camera)
    return tally


def ours_tally(results: list[CameraResult]) -> Tally:
    tally = Tally()
    for cam in results:
        for r, found in zip(cam.rounds, cam.ours, strict=True):
            tally.count(r.label, r.severity, found, r.camera)
    return tally


def choose_ffmpeg(tuning: list[CameraResult]) -> Choice:
    """Each FFmpeg threshold at its best F1 on the tuning set (the other two at their defaults:
    each detector reports only its own kind)."""
    default = Choice(-60, 0.10, 1.5)
    freeze = {
        float(n): ffmpeg_tally(tuning, Choice(n, default.black_pix_th, default.blur_ratio))
        for n in FREEZE_NOISE_DB
    }
    black = {
        p: ffmpeg_tally(tuning, Choice(default.freeze_db, p, default.blur_ratio))
        for p in BLACK_PIX_TH
    }
    blur = {
        r: ffmpeg_tally(tuning, Choice(default.freeze_db, default.black_pix_th, r))
        for r in BLUR_RATIOS
    }
    return Choice(
        int(choose(freeze, FaultKind.frozen.value)),
        choose(black, FaultKind.no_signal.value),
        choose(blur, FaultKind.blur.value),
    )


# --- report --------------------------------------------------------------------------------


def table(title: str, ours: Tally, ffmpeg: Tally, cameras: list[Camera]) -> None:
    scenes = ", ".join(f"{c.name} {len(c.scenes)}" for c in cameras)
    print(f"\n{title} (scenes per camera: {scenes}; P and R with 95 % Wilson intervals)")
    head = f"{'fault':<14}{'severity':<10}{'n':>4} {'P':>17} {'R':>17}"
    print(f"{head}   {'FFmpeg P':>17} {'FFmpeg R':>17}")
    for kind in KINDS:
        for severity in SEVERITIES:
            recall = ours.recall(kind, severity)
            line = f"{kind:<14}{severity:<10}{recall.n:>4} "
            line += f"{ours.precision(kind, severity)!s} {recall!s}"
            if kind in FFMPEG_KINDS:
                line += f"   {ffmpeg.precision(kind, severity)!s} {ffmpeg.recall(kind, severity)!s}"
            else:
                line += "   (FFmpeg has no detector)"
            print(line)
    for kind, labels in sorted(ours.confused.items()):
        where = ", ".join(
            f"{camera} {n}" for (k, camera), n in sorted(ours.false_on.items()) if k == kind and n
        )
        print(f"  {kind} falsely reported ({where}) on: {', '.join(sorted(labels))}")
    far, ffar = ours.false_alarms(), ffmpeg.false_alarms()
    print(f"  any fault reported on {far.n} unimpaired rounds: {far!s} (FFmpeg {ffar!s})")


def figures(ours: Tally, ffmpeg: Tally) -> dict[str, object]:
    per_kind = {
        kind: {
            severity: {
                "precision": ours.precision(kind, severity).as_json(),
                "recall": ours.recall(kind, severity).as_json(),
            }
            for severity in SEVERITIES
        }
        for kind in KINDS
        if ours.sampled(kind)
    }
    moderate = [k for k in KINDS if ours.sampled(k)]
    return {
        "precision_min_moderate": min(ours.precision(k, "moderate").value or 0.0 for k in moderate),
        "recall_min_moderate": min(ours.recall(k, "moderate").value or 0.0 for k in moderate),
        "false_alarm_rate": ours.false_alarms().as_json(),
        "per_kind": per_kind,
        "ffmpeg": {
            kind: {
                severity: {
                    "precision": ffmpeg.precision(kind, severity).as_json(),
                    "recall": ffmpeg.recall(kind, severity).as_json(),
                }
                for severity in SEVERITIES
            }
            for kind in FFMPEG_KINDS
        },
        "ffmpeg_false_alarm_rate": ffmpeg.false_alarms().as_json(),
    }


def load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    t0 = time.monotonic()
    if subprocess.run(["ffmpeg", "-version"], capture_output=True).returncode != 0:
        sys.exit("bench/vqd.py needs FFmpeg (Debian's ffmpeg) for its reference")
    tuning, missing = tuning_cameras()
    held_out, gone = held_out_cameras()
    for reason in missing + gone:
        print(f"skipped: {reason}")
    if len(held_out) < 2:
        sys.exit("too few held-out clips could be had: no held-out figures")
    with tempfile.TemporaryDirectory(prefix="vqd-") as tmp, ProcessPoolExecutor(2) as pool:
        tuning_jobs = submit(tuning, 7, pool, tmp)
        held_jobs = submit(held_out, 10007, pool, tmp)
        tuning_results = [job.result() for job in tuning_jobs]
        held_results = [job.result() for job in held_jobs]
    choice = choose_ffmpeg(tuning_results)
    cost = round_cost(THRESHOLDS)
    ours_t, ffmpeg_t = ours_tally(tuning_results), ffmpeg_tally(tuning_results, choice)
    ours_h, ffmpeg_h = ours_tally(held_results), ffmpeg_tally(held_results, choice)
    print(
        f"FFmpeg reference thresholds (chosen on the tuning set, best F1 each): freezedetect "
        f"n={choice.freeze_db} dB d=1, blackdetect pix_th={choice.black_pix_th} d=1, blurdetect "
        f"> {choice.blur_ratio}× the camera's healthy median. FFmpeg detects only black, frozen "
        f"and blur; it has no detector for the other nine kinds."
    )
    table("HELD-OUT real video (nothing was tuned on it)", ours_h, ffmpeg_h, held_out)
    print(f"  note: {SEEN}")
    table("tuning set (thresholds tuned on it: not a result)", ours_t, ffmpeg_t, tuning)
    report_cost(cost, held_results)
    held = figures(ours_h, ffmpeg_h)
    rate = 3600 / cost.whole
    result = {
        "held_out": held,
        "tuning_set": {
            k: v
            for k, v in figures(ours_t, ffmpeg_t).items()
            if k in ("precision_min_moderate", "recall_min_moderate", "false_alarm_rate")
        },
        "ffmpeg_thresholds": {
            "freezedetect_db": choice.freeze_db,
            "blackdetect_pix_th": choice.black_pix_th,
            "blurdetect_ratio": choice.blur_ratio,
        },
        "not_sampled": [FaultKind.ptz_not_responding.value],
        "channels_per_hour_per_core": round(rate),
        "round_ms_1080p": round(cost.whole * 1000, 1),
        "decode_ms_1080p": round(cost.decode * 1000, 1),
        "diagnosis_ms_1080p": round(cost.diagnosis * 1000, 1),
        "rounds": sum(len(r.rounds) for r in tuning_results + held_results),
        "targets_met": bool(
            isinstance(p := held["precision_min_moderate"], float)
            and isinstance(r := held["recall_min_moderate"], float)
            and p >= TARGET_PRECISION
            and r >= TARGET_RECALL
            and rate >= TARGET_RATE
        ),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "wall_s": round(time.monotonic() - t0, 1),
    }
    print(json.dumps(result))


def report_cost(cost: RoundCost, held: list[CameraResult]) -> None:
    rounds = sum(len(r.rounds) for r in held)
    small = sum(r.diagnosis_cpu for r in held) / rounds
    print(
        f"\nA whole round at 1080p ({cost.source}; 50 frames, 4 Mbit/s): "
        f"{cost.whole * 1000:.0f} ms CPU = decoding {cost.decode * 1000:.0f} ms + diagnosis "
        f"{cost.diagnosis * 1000:.0f} ms + the rest (picking, evidence JPEG): "
        f"{3600 / cost.whole:,.0f} channels per hour per core (target {TARGET_RATE:,}); "
        f"diagnosis alone would claim {3600 / cost.diagnosis:,.0f}. Diagnosis of a held-out "
        f"round at 480 px wide: {small * 1000:.1f} ms. Load average {load()}."
    )


if __name__ == "__main__":
    main()
