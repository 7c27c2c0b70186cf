"""The faults the bench applies, at three severities, and the camera's own rendering.

Every fault but a freeze is applied to the picture before the camera renders it (sensor noise,
an on-screen clock); a freeze repeats the camera's last output. The same functions and severities
serve the tuning and the held-out set.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from vigil.health.diagnosis import FaultKind
from vqdlib.sources import FPS, Clip

__all__ = ["IMPAIRMENTS", "SENSOR_NOISE", "SEVERITIES", "camera_output", "frozen"]

SENSOR_NOISE = 2.5
SEVERITIES = ("mild", "moderate", "severe")


# --- the camera's own rendering: on-screen clock and sensor noise ---------------------------


def camera_output(clip: Clip, rng: np.random.Generator, noise: float = SENSOR_NOISE) -> Clip:
    """``clip`` as the camera sends it: sensor noise (a fresh field per frame) and its clock."""
    out = []
    fields = _noise_fields(clip[0].shape)
    picks = rng.choice(len(fields), size=len(clip), replace=len(clip) > len(fields))
    for frame, pick in zip(clip, picks, strict=True):
        f = frame.astype(np.float32)
        if noise:
            f = np.asarray(cv2.scaleAdd(fields[pick], noise, f), dtype=np.float32)
        out.append(np.clip(f, 0, 255, out=f).astype(np.uint8))
    return [_osd(f, i) for i, f in enumerate(out)]


_FIELDS: dict[tuple[int, ...], list[np.ndarray]] = {}


def _noise_fields(shape: tuple[int, ...]) -> list[np.ndarray]:
    """A bank of standard normal fields of ``shape``, drawn once (drawing one per frame cost
    more than the diagnosis it feeds)."""
    if shape not in _FIELDS:
        rng = np.random.default_rng(shape)
        _FIELDS[shape] = [rng.standard_normal(shape, dtype=np.float32) for _ in range(32)]
    return _FIELDS[shape]


def _osd(frame: np.ndarray, i: int) -> np.ndarray:
    text = f"2026-12-02 22:40:{i // FPS:02d}.{(i % FPS) * 25:02d}"
    cv2.putText(frame, text, (10, 24), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (255, 255, 255), 1)
    return frame


# --- faults ----------------------------------------------------------------------------------

Impair = Callable[[Clip, int, np.random.Generator, Clip], Clip]
# (clip, severity 0-2, rng, another camera's clip) → the impaired clip before the camera's own
# rendering; FROZEN is handled after rendering (a frozen encoder repeats its last output).


def _map(clip: Clip, fn: Callable[[np.ndarray], np.ndarray]) -> Clip:
    return [np.clip(fn(f.astype(np.float32)), 0, 255).astype(np.uint8) for f in clip]


def _black(clip: Clip, s: int, _rng: np.random.Generator, _other: Clip) -> Clip:
    return _map(clip, lambda f: f * (0.06, 0.03, 0.0)[s])


def _blur(clip: Clip, s: int, _rng: np.random.Generator, _other: Clip) -> Clip:
    sigma = (1.2, 2.5, 5.0)[s] * clip[0].shape[1] / 640
    return [cv2.GaussianBlur(f, (0, 0), sigma) for f in clip]


def _dark(clip: Clip, s: int, _rng: np.random.Generator, _other: Clip) -> Clip:
    return _map(clip, lambda f: f * (0.4, 0.25, 0.15)[s])


def _bright(clip: Clip, s: int, _rng: np.random.Generator, _other: Clip) -> Clip:
    return _map(clip, lambda f: f * (1.6, 2.2, 3.2)[s] + 20)


def _contrast(clip: Clip, s: int, _rng: np.random.Generator, _other: Clip) -> Clip:
    c = (0.55, 0.35, 0.2)[s]
    return _map(clip, lambda f: f.mean() + (f - f.mean()) * c)


def _cast(clip: Clip, s: int, rng: np.random.Generator, _other: Clip) -> Clip:
    a = (0.12, 0.25, 0.45)[s]
    channel = int(rng.integers(0, 3))
    gains = np.full(3, 1 - a / 2, np.float32)
    gains[channel] = 1 + a
    return _map(clip, lambda f: f * gains)


def _noise(clip: Clip, s: int, rng: np.random.Generator, _other: Clip) -> Clip:
    sigma = (6.0, 12.0, 24.0)[s]
    return _map(clip, lambda f: f + sigma * rng.standard_normal(f.shape, dtype=np.float32))


def _stripes(clip: Clip, s: int, rng: np.random.Generator, _other: Clip) -> Clip:
    amplitude = (5.0, 10.0, 20.0)[s]
    h, w = clip[0].shape[:2]
    vertical = bool(rng.integers(0, 2))
    period = (w if vertical else h) / float(rng.uniform(16, 40))
    out = []
    for i, f in enumerate(clip):
        axis = np.arange(w if vertical else h, dtype=np.float32)
        wave = amplitude * np.sin(2 * np.pi * axis / period + i * 0.9)
        wave = wave[None, :, None] if vertical else wave[:, None, None]
        out.append(np.clip(f.astype(np.float32) + wave, 0, 255).astype(np.uint8))
    return out


def _rolling(clip: Clip, s: int, _rng: np.random.Generator, _other: Clip) -> Clip:
    step = (0.03, 0.08, 0.2)[s] * clip[0].shape[0]
    return [np.roll(f, round(i * step), axis=0) for i, f in enumerate(clip)]


def _occlusion(clip: Clip, s: int, rng: np.random.Generator, _other: Clip) -> Clip:
    share = (0.25, 0.45, 0.7)[s]
    h, w = clip[0].shape[:2]
    cover = np.zeros((h, w), np.float32)
    ch, cw = round(h * np.sqrt(share)), round(w * np.sqrt(share))
    top = 0 if rng.integers(0, 2) else h - ch
    left = 0 if rng.integers(0, 2) else w - cw
    cover[top : top + ch, left : left + cw] = 1
    shade = np.linspace(30, 60, w, dtype=np.float32)[None, :, None] * np.ones((h, 1, 3))
    return [(f * (1 - cover[..., None]) + shade * cover[..., None]).astype(np.uint8) for f in clip]


def _moved(clip: Clip, s: int, rng: np.random.Generator, other: Clip) -> Clip:
    if s == 2:  # another view altogether, exposed (auto exposure) like this one
        h, w = clip[0].shape[:2]
        gain = float(np.mean(clip[0])) / max(1.0, float(np.mean(other[0])))
        return _map([cv2.resize(f, (w, h)) for f in other], lambda f: f * gain)
    h, w = clip[0].shape[:2]
    dx, angle = ((0.08, 0.0), (0.2, 8.0))[s]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    matrix[0, 2] += dx * w * (1 if rng.integers(0, 2) else -1)
    return [cv2.warpAffine(f, matrix, (w, h), borderMode=cv2.BORDER_REFLECT) for f in clip]


IMPAIRMENTS: dict[FaultKind, Impair] = {
    FaultKind.no_signal: _black,
    FaultKind.blur: _blur,
    FaultKind.too_dark: _dark,
    FaultKind.too_bright: _bright,
    FaultKind.low_contrast: _contrast,
    FaultKind.colour_cast: _cast,
    FaultKind.noise: _noise,
    FaultKind.stripes: _stripes,
    FaultKind.rolling: _rolling,
    FaultKind.occlusion: _occlusion,
    FaultKind.scene_changed: _moved,
}


def frozen(rendered: Clip, s: int, rng: np.random.Generator) -> Clip:
    """Severe: the same frame repeated; moderate: its clock still ticks; mild: plus re-encode
    jitter."""
    out = []
    for i in range(len(rendered)):
        f = rendered[0].copy()
        if s < 2:
            f = _osd(f, i)
        if s == 0:
            jitter = 0.6 * rng.standard_normal(f.shape, dtype=np.float32)
            f = np.clip(f + jitter, 0, 255).astype(np.uint8)
        out.append(f)
    return out
