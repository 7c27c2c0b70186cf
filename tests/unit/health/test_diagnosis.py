"""Each detector on a real photo with one fault applied, against a baseline of healthy rounds."""

from collections.abc import Callable

import cv2
import numpy as np
import pytest
import skimage.data

from vigil.health.diagnosis import Baseline, FaultKind, Thresholds, coarse, diagnose

Frames = list[np.ndarray]
THRESHOLDS = Thresholds()


def scene() -> np.ndarray:
    photo: np.ndarray = skimage.data.astronaut()  # type: ignore[no-untyped-call]  # untyped
    return cv2.cvtColor(cv2.resize(photo, (480, 480)), cv2.COLOR_RGB2BGR)


def camera(frames: Frames, rng: np.random.Generator, sigma: float = 2.5) -> Frames:
    """What a camera sends: the picture plus sensor noise, a new draw per frame."""
    return [
        np.clip(f + sigma * rng.standard_normal(f.shape, dtype=np.float32), 0, 255).astype(np.uint8)
        for f in frames
    ]


def healthy(rng: np.random.Generator) -> Frames:
    return camera([scene()] * 6, rng)


def scaled(gain: float, offset: float = 0.0) -> Callable[[Frames], Frames]:
    return lambda fs: [np.clip(f * gain + offset, 0, 255).astype(np.uint8) for f in fs]


def toward_mean(c: float) -> Callable[[Frames], Frames]:
    return lambda fs: [np.clip(f.mean() + (f - f.mean()) * c, 0, 255).astype(np.uint8) for f in fs]


def tinted(fs: Frames) -> Frames:
    return [np.clip(f * np.array([0.85, 0.85, 1.3]), 0, 255).astype(np.uint8) for f in fs]


def stripes(fs: Frames) -> Frames:
    wave = 10 * np.sin(2 * np.pi * np.arange(fs[0].shape[0]) / 17.0)[:, None, None]
    return [np.clip(f + wave, 0, 255).astype(np.uint8) for f in fs]


def rolled(fs: Frames) -> Frames:
    return [np.roll(f, i * 40, axis=0) for i, f in enumerate(fs)]


def covered(fs: Frames) -> Frames:
    out = []
    for f in fs:
        f = f.copy()
        f[:, : f.shape[1] // 2] = 40
        out.append(f)
    return out


def moved(fs: Frames) -> Frames:
    m = cv2.getRotationMatrix2D((240, 240), 8, 1.0)
    m[0, 2] += 100
    return [cv2.warpAffine(f, m, (480, 480), borderMode=cv2.BORDER_REFLECT) for f in fs]


# Faults applied before the sensor adds its noise, as in a camera.
BEFORE_NOISE: dict[FaultKind, Callable[[Frames], Frames]] = {
    FaultKind.no_signal: scaled(0.0),
    FaultKind.blur: lambda fs: [cv2.GaussianBlur(f, (0, 0), 2.5) for f in fs],
    FaultKind.too_dark: scaled(0.25),
    FaultKind.too_bright: scaled(2.2, 20),
    FaultKind.low_contrast: toward_mean(0.35),
    FaultKind.colour_cast: tinted,
    FaultKind.noise: lambda fs: camera(fs, np.random.default_rng(1), sigma=12.0),
    FaultKind.stripes: stripes,
    FaultKind.rolling: rolled,
    FaultKind.occlusion: covered,
    FaultKind.scene_changed: moved,
}


@pytest.fixture(scope="module")
def learnt() -> tuple[Baseline, np.ndarray]:
    rng = np.random.default_rng(0)
    baseline = Baseline()
    reference = coarse(healthy(rng))
    for _ in range(5):
        result = diagnose(healthy(rng), baseline, THRESHOLDS, reference)
        assert result.learnable(baseline)
        baseline.learn(result.measures.as_dict())
    assert baseline.ready
    return baseline, reference


def reported(frames: Frames, learnt: tuple[Baseline, np.ndarray]) -> set[FaultKind]:
    baseline, reference = learnt
    return {f.kind for f in diagnose(frames, baseline, THRESHOLDS, reference).faults}


def test_healthy_rounds_report_nothing(learnt: tuple[Baseline, np.ndarray]) -> None:
    rng = np.random.default_rng(5)
    for _ in range(3):
        assert reported(healthy(rng), learnt) == set()


def test_greyscale_night_picture_is_not_a_colour_cast(learnt: tuple[Baseline, np.ndarray]) -> None:
    grey = cv2.cvtColor(cv2.cvtColor(scene(), cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)
    assert reported(camera([grey] * 6, np.random.default_rng(2)), learnt) == set()


@pytest.mark.parametrize("kind", list(BEFORE_NOISE), ids=str)
def test_each_fault_is_reported_alone(kind: FaultKind, learnt: tuple[Baseline, np.ndarray]) -> None:
    frames = camera(BEFORE_NOISE[kind]([scene()] * 6), np.random.default_rng(3))
    assert reported(frames, learnt) == {kind}


def test_frozen_picture_with_a_ticking_clock(learnt: tuple[Baseline, np.ndarray]) -> None:
    still = healthy(np.random.default_rng(4))[0]
    frames = []
    for i in range(6):
        f = still.copy()
        cv2.putText(f, f"22:40:0{i}", (10, 24), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (255, 255, 255))
        frames.append(f)
    assert reported(frames, learnt) == {FaultKind.frozen}


def test_without_history_priors_apply_and_a_round_needs_two_frames() -> None:
    result = diagnose(
        camera([np.zeros((240, 320, 3), np.uint8)] * 3, np.random.default_rng(1)),
        Baseline(),
        THRESHOLDS,
    )
    assert [f.kind for f in result.faults] == [FaultKind.no_signal]
    assert not result.learnable(Baseline())
    with pytest.raises(ValueError):
        diagnose([scene()], Baseline(), THRESHOLDS)


def test_a_white_out_is_over_exposure_not_a_lost_signal(
    learnt: tuple[Baseline, np.ndarray],
) -> None:
    """The sensor saturated (sun in the lens): a uniform picture, but a white one, with the
    camera's clock still drawn on it. It is too bright, not a lost signal."""
    frames = []
    for i, f in enumerate(
        camera([np.full((480, 480, 3), 250, np.uint8)] * 6, np.random.default_rng(6))
    ):
        cv2.putText(f, f"22:40:0{i}", (10, 24), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (0, 0, 0))
        frames.append(f)
    assert reported(frames, learnt) == {FaultKind.too_bright}
