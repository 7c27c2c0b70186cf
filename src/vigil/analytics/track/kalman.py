"""A constant-velocity Kalman filter for one box, the motion model of SORT and ByteTrack.

The state is the box's centre, aspect ratio (width / height) and height, ``(cx, cy, a, h)``, and
their velocities; the measurement is a detector's box in the same four numbers. Noise scales with
the box's height, as in DeepSORT (whose weights ByteTrack keeps): a tall, near pedestrian may move
more pixels per frame than a small, distant one. The aspect ratio is nearly constant, so its
noise is small and fixed.

Time is counted in frames: ``predict(dt)`` moves the state ``dt`` frames ahead, so a tracker fed
at an irregular rate (frames dropped when the analyser falls behind) still predicts the right
distance. Process noise grows linearly with ``dt``, as for a random walk in velocity.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["BoxKalman", "KalmanState", "box_to_xyah", "xyah_to_box"]

_DIM = 4  # cx, cy, a, h
_PROJECTION = np.eye(_DIM, 2 * _DIM)


def box_to_xyah(box: tuple[float, float, float, float]) -> np.ndarray:
    """``(x1, y1, x2, y2)`` as ``(cx, cy, aspect, height)``."""
    x1, y1, x2, y2 = box
    height = max(y2 - y1, 1e-6)
    return np.array([(x1 + x2) / 2, (y1 + y2) / 2, (x2 - x1) / height, height])


def xyah_to_box(xyah: np.ndarray) -> tuple[float, float, float, float]:
    """``(cx, cy, aspect, height)`` as ``(x1, y1, x2, y2)``."""
    cx, cy, aspect, height = (float(v) for v in xyah[:_DIM])
    width = aspect * height
    return (cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)


@dataclass(frozen=True)
class KalmanState:
    """The filter's belief: the mean (8: position then velocity) and its 8×8 covariance."""

    mean: np.ndarray
    covariance: np.ndarray

    @property
    def box(self) -> tuple[float, float, float, float]:
        """The mean's box, ``(x1, y1, x2, y2)``."""
        return xyah_to_box(self.mean)


@dataclass(frozen=True)
class BoxKalman:
    """The filter's parameters; the state lives in :class:`KalmanState` values it returns.

    ``position_weight`` and ``velocity_weight`` are the standard deviations of position and
    velocity noise per pixel of box height (DeepSORT's 1/20 and 1/160).
    """

    position_weight: float = 1 / 20
    velocity_weight: float = 1 / 160

    def initiate(self, box: tuple[float, float, float, float]) -> KalmanState:
        """A new state at ``box``, at rest, with a wide velocity uncertainty."""
        measured = box_to_xyah(box)
        height = measured[3]
        position = 2 * self.position_weight * height
        velocity = 10 * self.velocity_weight * height
        std = np.array([position, position, 1e-2, position, velocity, velocity, 1e-5, velocity])
        mean = np.concatenate([measured, np.zeros(_DIM)])
        return KalmanState(mean, np.diag(std**2))

    def predict(
        self, state: KalmanState, dt: float = 1.0, *, freeze_height: bool = False
    ) -> KalmanState:
        """``state`` moved ``dt`` frames ahead. ``freeze_height`` zeroes the height's velocity
        first (ByteTrack does so for a lost track, whose size would otherwise drift)."""
        mean = state.mean.copy()
        if freeze_height:
            mean[7] = 0.0
        transition = np.eye(2 * _DIM)
        transition[:_DIM, _DIM:] = dt * np.eye(_DIM)
        height = mean[3]
        position = self.position_weight * height
        velocity = self.velocity_weight * height
        std = np.array([position, position, 1e-2, position, velocity, velocity, 1e-5, velocity])
        noise = np.diag(std**2) * dt
        covariance = transition @ state.covariance @ transition.T + noise
        return KalmanState(transition @ mean, covariance)

    def update(self, state: KalmanState, box: tuple[float, float, float, float]) -> KalmanState:
        """``state`` corrected by a measured ``box``."""
        measured = box_to_xyah(box)
        height = state.mean[3]
        std = np.array([self.position_weight * height] * 2 + [1e-1, self.position_weight * height])
        projected_mean = _PROJECTION @ state.mean
        projected_cov = _PROJECTION @ state.covariance @ _PROJECTION.T + np.diag(std**2)
        # Kalman gain K = P Hᵀ S⁻¹, solved rather than inverted (S is symmetric positive definite).
        gain = np.linalg.solve(projected_cov, _PROJECTION @ state.covariance).T
        mean = state.mean + gain @ (measured - projected_mean)
        covariance = state.covariance - gain @ projected_cov @ gain.T
        return KalmanState(mean, covariance)
