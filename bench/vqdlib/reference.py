"""The reference: FFmpeg's own detectors (Debian's ``ffmpeg``) on the same encoded rounds.

``blackdetect`` (no signal), ``freezedetect`` (frozen) and ``blurdetect`` (blur) run in one
``ffmpeg`` process per camera file, each threshold a branch of one filter graph, and every
branch writes its per-frame metadata with ``metadata=print``. A black or frozen interval counts
for a round when it covers at least ``MIN_SECONDS`` of it; ``blurdetect`` gives a figure, not a
verdict, so a round is blurred when its median figure is above ``ratio`` × the camera's healthy
median (its history rounds). Which threshold is used is chosen on the tuning set
(:func:`vqdlib.score.choose`), never on the held-out set.

FFmpeg has no detector for the other kinds (dark, bright, low contrast, colour cast, noise,
stripes, rolling, occlusion, a moved camera): the table says so.
"""

from __future__ import annotations

import math
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vqdlib.sources import FPS, FRAMES

__all__ = [
    "BLACK_PIX_TH",
    "BLUR_RATIOS",
    "FREEZE_NOISE_DB",
    "MIN_SECONDS",
    "FfmpegRound",
    "detect",
]

FREEZE_NOISE_DB = (-70, -65, -60, -55, -50, -45, -40, -35, -30)
BLACK_PIX_TH = (0.05, 0.10, 0.15, 0.20, 0.25)
BLUR_RATIOS = (1.1, 1.2, 1.3, 1.4, 1.5, 1.75, 2.0, 2.5)
#: Both detectors' minimum duration (``d``) and the share of a round an interval must cover.
MIN_SECONDS = 1.0
_ROUND_SECONDS = FRAMES / FPS
_FFMPEG = ("ffmpeg", "-hide_banner", "-nostats", "-v", "error")


@dataclass(frozen=True)
class FfmpegRound:
    """FFmpeg's findings on one round: per threshold candidate, and the blur figure."""

    frozen: tuple[bool, ...]  # per FREEZE_NOISE_DB
    black: tuple[bool, ...]  # per BLACK_PIX_TH
    blur: float  # median lavfi.blur over the round's frames (nan: none, e.g. all black)


_FRAME = re.compile(r"^frame:\d+\s+pts:\S+\s+pts_time:(\S+)")


def _metadata(path: Path) -> list[tuple[float, dict[str, str]]]:
    frames: list[tuple[float, dict[str, str]]] = []
    for line in path.read_text().splitlines():
        head = _FRAME.match(line)
        if head:
            frames.append((float(head[1]), {}))
        elif "=" in line and frames:
            key, value = line.split("=", 1)
            frames[-1][1][key] = value
    return frames


def _intervals(
    frames: list[tuple[float, dict[str, str]]], start: str, end: str, total: float
) -> list[tuple[float, float]]:
    found, opened = [], None
    for _, meta in frames:
        if start in meta:
            opened = float(meta[start])
        if end in meta and opened is not None:
            found.append((opened, float(meta[end])))
            opened = None
    if opened is not None:
        found.append((opened, total))
    return [(a, b) for a, b in found if b - a >= MIN_SECONDS]


def _covers(intervals: list[tuple[float, float]], k: int) -> bool:
    lo, hi = k * _ROUND_SECONDS, (k + 1) * _ROUND_SECONDS
    return any(min(b, hi) - max(a, lo) >= MIN_SECONDS for a, b in intervals)


def detect(video: Path, rounds: int, workdir: Path) -> list[FfmpegRound]:
    """FFmpeg's findings on each of the ``rounds`` rounds of ``video``."""
    branches = [f"freezedetect=n={n}dB:d={MIN_SECONDS}" for n in FREEZE_NOISE_DB]
    branches += [f"blackdetect=d={MIN_SECONDS}:pix_th={p}" for p in BLACK_PIX_TH]
    branches.append("blurdetect")
    names = [workdir / f"{video.stem}.{i}.txt" for i in range(len(branches))]
    graph = f"[0:v]split={len(branches)}" + "".join(f"[b{i}]" for i in range(len(branches)))
    outputs: list[str] = []
    for i, (branch, name) in enumerate(zip(branches, names, strict=True)):
        graph += f";[b{i}]{branch},metadata=print:file={name}[o{i}]"
        outputs += ["-map", f"[o{i}]", "-f", "null", "-"]
    subprocess.run(
        [*_FFMPEG, "-i", str(video), "-filter_complex", graph, *outputs],
        check=True,
        capture_output=True,
    )
    total = rounds * _ROUND_SECONDS
    per_branch = [_metadata(name) for name in names]
    n_freeze = len(FREEZE_NOISE_DB)
    freezes = [
        _intervals(m, "lavfi.freezedetect.freeze_start", "lavfi.freezedetect.freeze_end", total)
        for m in per_branch[:n_freeze]
    ]
    blacks = [
        _intervals(m, "lavfi.black_start", "lavfi.black_end", total)
        for m in per_branch[n_freeze:-1]
    ]
    blur: list[list[float]] = [[] for _ in range(rounds)]
    for t, meta in per_branch[-1]:
        value = float(meta.get("lavfi.blur", "nan"))
        k = min(rounds - 1, int(t / _ROUND_SECONDS + 1e-6))
        if math.isfinite(value):
            blur[k].append(value)
    return [
        FfmpegRound(
            tuple(_covers(f, k) for f in freezes),
            tuple(_covers(b, k) for b in blacks),
            float(np.median(blur[k])) if blur[k] else math.nan,
        )
        for k in range(rounds)
    ]
