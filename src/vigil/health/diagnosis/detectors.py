"""Verdicts: each fault's score against its threshold, the threshold set by the camera's baseline.

Every detector reads one figure of :class:`~.measures.Measures` (or the preset similarity). With
enough healthy history the threshold is relative to that camera: a ratio of its median, and at
least ``SIGMAS`` robust deviations away from it, so a camera whose figure wanders normally is not
flagged for wandering. Without history a fixed prior applies.

One cause shows in several figures (a black picture is also dark, frozen and low in contrast), so
a round reports the root cause only: :data:`SUPPRESSES` lists what each fault explains away.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from vigil.health.diagnosis.baseline import Baseline
from vigil.health.diagnosis.faults import FaultKind, Finding
from vigil.health.diagnosis.measures import Measures

__all__ = ["LOWER_IS_WORSE", "SIGMAS", "SUPPRESSES", "Thresholds", "judge", "reported"]

#: A relative threshold is also at least this many robust deviations from the camera's median.
SIGMAS = 4.0

#: Kinds whose score falls as the picture gets worse (the round is bad below the threshold).
LOWER_IS_WORSE = frozenset(
    {
        FaultKind.no_signal,
        FaultKind.frozen,
        FaultKind.blur,
        FaultKind.too_dark,
        FaultKind.low_contrast,
        FaultKind.scene_changed,
    }
)

_PICTURE = frozenset(FaultKind) - {FaultKind.frozen}
#: Fault → the faults it explains; a round reports only the faults no other bad one explains.
SUPPRESSES: dict[FaultKind, frozenset[FaultKind]] = {
    FaultKind.no_signal: frozenset(FaultKind) - {FaultKind.no_signal},
    FaultKind.rolling: frozenset(
        {
            FaultKind.scene_changed,
            FaultKind.blur,
            FaultKind.frozen,
            FaultKind.stripes,
            FaultKind.noise,
        }
    ),
    FaultKind.occlusion: frozenset(
        {
            FaultKind.too_dark,
            FaultKind.low_contrast,
            FaultKind.blur,
            FaultKind.colour_cast,
            FaultKind.scene_changed,
        }
    ),
    FaultKind.too_dark: _PICTURE
    - {FaultKind.too_dark, FaultKind.no_signal, FaultKind.occlusion, FaultKind.rolling},
    FaultKind.too_bright: _PICTURE - {FaultKind.too_bright, FaultKind.no_signal, FaultKind.rolling},
    FaultKind.blur: frozenset({FaultKind.stripes}),
    FaultKind.stripes: frozenset({FaultKind.noise}),
    FaultKind.low_contrast: frozenset({FaultKind.blur, FaultKind.colour_cast}),
    # A different view has its own colours, texture and patterns (the baseline was learnt on the
    # old one); a cast, noise or stripes leave the edges where they were.
    FaultKind.scene_changed: frozenset(
        {
            FaultKind.colour_cast,
            FaultKind.stripes,
            FaultKind.noise,
            FaultKind.blur,
            FaultKind.low_contrast,
        }
    ),
}


@dataclass(frozen=True, slots=True)
class Thresholds:
    """A channel's limits; ``*_ratio`` are relative to its baseline median, the rest absolute."""

    #: Contrast (grey levels) under which the picture is uniform: black or a blank screen, an
    #: on-screen clock still drawn over it or not.
    no_signal_contrast: float = 12.0
    #: Block change (grey levels) under which the picture is frozen; and the share of the
    #: camera's normal change, whichever is lower.
    frozen_motion: float = 0.5
    frozen_ratio: float = 0.2
    #: Sharpness below this share of normal is blur; how sharp is normal depends wholly on the
    #: scene, so without history (prior 0) nothing is blur.
    blur_ratio: float = 0.55
    blur_prior: float = 0.0
    #: Mean grey below this share of normal is too dark; above ``bright_ratio`` of the way from
    #: normal to white is too bright.
    dark_ratio: float = 0.5
    dark_prior: float = 40.0
    bright_ratio: float = 0.4
    bright_prior: float = 210.0
    #: Contrast below this share of normal.
    contrast_ratio: float = 0.5
    contrast_prior: float = 40.0
    #: Colour cast: distance in a*b* from the camera's normal mean (scaled by the picture's chroma
    #: spread against normal, so plain desaturation is no cast); a picture with less chroma
    #: spread than ``greyscale_chroma`` is greyscale (night mode) and never has a cast.
    cast_shift: float = 14.0
    cast_prior: float = 20.0
    greyscale_chroma: float = 2.5
    #: Noise above this multiple of normal plus ``noise_margin`` grey levels.
    noise_ratio: float = 1.6
    noise_margin: float = 1.0
    noise_prior: float = 5.0
    #: Stripes: dB above normal.
    stripes_db: float = 5.0
    stripes_prior: float = 20.0
    #: Rolling: vertical shift per frame pair, share of the height.
    roll: float = 0.015
    #: Occlusion: share of flat blocks above normal.
    occlusion: float = 0.2
    #: Scene changed: similarity to the preset's reference below this.
    scene_similarity: float = 0.5
    #: PTZ not responding: the picture after a PTZ move is at least this similar to the one
    #: before (a pan of a few degrees drops the coarse similarity far below it).
    ptz_still: float = 0.8


_Rule = Callable[[Measures, Baseline, Thresholds], tuple[float, float]]


def _below(baseline: Baseline, name: str, ratio: float, prior: float) -> float:
    spread = baseline.spread(name)
    if spread is None:
        return prior
    return min(ratio * spread.median, spread.median - SIGMAS * spread.sigma)


def _above(baseline: Baseline, name: str, ratio: float, margin: float, prior: float) -> float:
    spread = baseline.spread(name)
    if spread is None:
        return prior
    return max(ratio * spread.median + margin, spread.median + SIGMAS * spread.sigma)


def _no_signal(m: Measures, _b: Baseline, t: Thresholds) -> tuple[float, float]:
    return m.contrast, t.no_signal_contrast


def _frozen(m: Measures, b: Baseline, t: Thresholds) -> tuple[float, float]:
    spread = b.spread("motion")
    limit = (
        t.frozen_motion if spread is None else min(t.frozen_motion, t.frozen_ratio * spread.median)
    )
    return m.motion, limit


def _blur(m: Measures, b: Baseline, t: Thresholds) -> tuple[float, float]:
    return m.sharpness, _below(b, "sharpness", t.blur_ratio, t.blur_prior)


def _dark(m: Measures, b: Baseline, t: Thresholds) -> tuple[float, float]:
    return m.luma_mean, _below(b, "luma_mean", t.dark_ratio, t.dark_prior)


def _bright(m: Measures, b: Baseline, t: Thresholds) -> tuple[float, float]:
    spread = b.spread("luma_mean")
    if spread is None:
        return m.luma_mean, t.bright_prior
    limit = spread.median + t.bright_ratio * (255.0 - spread.median)
    return m.luma_mean, max(limit, spread.median + SIGMAS * spread.sigma)


def _contrast(m: Measures, b: Baseline, t: Thresholds) -> tuple[float, float]:
    return m.contrast, _below(b, "contrast", t.contrast_ratio, t.contrast_prior)


def _cast(m: Measures, b: Baseline, t: Thresholds) -> tuple[float, float]:
    if m.chroma < t.greyscale_chroma:
        return 0.0, t.cast_shift  # greyscale (night): no colour to be cast
    a, bb, chroma = b.spread("cast_a"), b.spread("cast_b"), b.spread("chroma")
    if a is None or bb is None or chroma is None:
        return math.hypot(m.cast_a, m.cast_b), t.cast_prior
    # A picture that only lost saturation (haze, low contrast) keeps its mean colour in
    # proportion to its chroma spread: a shift explained that way is no cast.
    scale = m.chroma / chroma.median if chroma.median > 0 else 1.0
    shift = min(
        math.hypot(m.cast_a - a.median, m.cast_b - bb.median),
        math.hypot(m.cast_a - scale * a.median, m.cast_b - scale * bb.median),
    )
    return shift, max(t.cast_shift, SIGMAS * math.hypot(a.sigma, bb.sigma))


def _noise(m: Measures, b: Baseline, t: Thresholds) -> tuple[float, float]:
    return m.noise, _above(b, "noise", t.noise_ratio, t.noise_margin, t.noise_prior)


def _stripes(m: Measures, b: Baseline, t: Thresholds) -> tuple[float, float]:
    return m.stripes, _above(b, "stripes", 1.0, t.stripes_db, t.stripes_prior)


def _rolling(m: Measures, _b: Baseline, t: Thresholds) -> tuple[float, float]:
    return m.roll, t.roll


def _occlusion(m: Measures, b: Baseline, t: Thresholds) -> tuple[float, float]:
    spread = b.spread("flat")
    normal = 0.0 if spread is None else spread.median
    return m.flat, min(0.95, normal + t.occlusion)


_RULES: dict[FaultKind, _Rule] = {
    FaultKind.no_signal: _no_signal,
    FaultKind.frozen: _frozen,
    FaultKind.blur: _blur,
    FaultKind.too_dark: _dark,
    FaultKind.too_bright: _bright,
    FaultKind.low_contrast: _contrast,
    FaultKind.colour_cast: _cast,
    FaultKind.noise: _noise,
    FaultKind.stripes: _stripes,
    FaultKind.rolling: _rolling,
    FaultKind.occlusion: _occlusion,
}


def judge(
    measures: Measures,
    baseline: Baseline,
    thresholds: Thresholds,
    similarity: float | None = None,
) -> list[Finding]:
    """Every detector's finding for one round; ``similarity`` to the preset's reference if any."""
    findings = []
    for kind, rule in _RULES.items():
        score, limit = rule(measures, baseline, thresholds)
        bad = score < limit if kind in LOWER_IS_WORSE else score > limit
        findings.append(Finding(kind, score, limit, bad))
    if similarity is not None:
        limit = thresholds.scene_similarity
        findings.append(Finding(FaultKind.scene_changed, similarity, limit, similarity < limit))
    return findings


def reported(findings: list[Finding]) -> list[Finding]:
    """The bad findings that no other bad finding explains (see :data:`SUPPRESSES`).

    A uniform picture that is also too bright is white: the sensor saturated (over-exposure),
    not a lost signal; it is reported as too bright, with everything else a uniform picture
    explains still explained.
    """
    bad = {f.kind for f in findings if f.bad}
    explained = set().union(*(SUPPRESSES.get(k, frozenset()) for k in bad))
    if FaultKind.no_signal in bad and FaultKind.too_bright in bad:
        explained = (explained | {FaultKind.no_signal}) - {FaultKind.too_bright}
    return [f for f in findings if f.bad and f.kind not in explained]
