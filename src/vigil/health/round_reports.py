"""What the availability service keeps per channel between rounds, and what a round reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from vigil.health.diagnosis import Baseline, FaultKind, FaultState, Finding, Thresholds

__all__ = ["ChannelHealth", "ChannelThresholds", "PtzReport", "RoundReport"]


@dataclass
class ChannelHealth:
    """What the service keeps per channel between rounds (stored, but for ``rounds``)."""

    baseline: Baseline = field(default_factory=Baseline)
    references: dict[int, np.ndarray] = field(default_factory=dict)  # preset → reference view
    preset: int | None = None  # where the platform last sent the camera (None: fixed view)
    overrides: dict[str, float] = field(default_factory=dict)
    states: dict[FaultKind, FaultState] = field(default_factory=dict)
    rounds: int = 0  # scheduled rounds so far (PTZ checks run every ``ptz_every``)

    @property
    def position(self) -> int:
        """The key of the current view's reference: its preset, 0 for the fixed view."""
        return self.preset or 0


@dataclass(frozen=True, slots=True)
class ChannelThresholds:
    """A channel's overrides and the thresholds in force with them."""

    channel_id: str
    overrides: dict[str, float]
    effective: Thresholds


@dataclass(frozen=True, slots=True)
class RoundReport:
    """One round's outcome for a channel: what it found and which faults it raised or cleared."""

    channel_id: str
    at: datetime
    findings: list[Finding]
    faults: list[FaultKind]
    raised: list[FaultKind]
    cleared: list[FaultKind]
    open: list[FaultKind]


@dataclass(frozen=True, slots=True)
class PtzReport:
    """One PTZ check: the picture's similarity after the move to before it (None: inconclusive,
    no live picture to tell by), whether it moved, and what that raised or cleared."""

    channel_id: str
    at: datetime
    similarity: float | None
    threshold: float
    moved: bool | None
    raised: bool
    cleared: bool
    open: bool
