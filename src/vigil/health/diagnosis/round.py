"""One diagnosis round: measure the frames, judge every fault, keep what is not explained away."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from vigil.health.diagnosis.baseline import Baseline
from vigil.health.diagnosis.detectors import Thresholds, judge, reported
from vigil.health.diagnosis.faults import FaultKind, Finding
from vigil.health.diagnosis.measures import Measures, measure, similarity

__all__ = ["RoundResult", "diagnose"]

#: Faults that mean there is no live picture to learn from, even while the baseline is young.
_NO_PICTURE = frozenset({FaultKind.no_signal, FaultKind.frozen, FaultKind.rolling})


@dataclass(frozen=True, slots=True)
class RoundResult:
    """What a round measured, every detector's finding, and the faults it reports."""

    measures: Measures
    findings: list[Finding]
    faults: list[Finding]

    @property
    def healthy(self) -> bool:
        """No detector found the round bad."""
        return not any(f.bad for f in self.findings)

    def learnable(self, baseline: Baseline) -> bool:
        """Whether to learn this round's figures: a healthy round, or while the baseline is too
        young for relative thresholds (judged by priors only) any round with a live picture."""
        if self.healthy:
            return True
        return not baseline.ready and not any(
            f.bad and f.kind in _NO_PICTURE for f in self.findings
        )


def diagnose(
    frames: Sequence[np.ndarray],
    baseline: Baseline,
    thresholds: Thresholds,
    reference: np.ndarray | None = None,
) -> RoundResult:
    """Diagnose BGR ``frames``; ``reference`` is the preset's view (``coarse()`` of a round)."""
    measures = measure(frames)
    score = None if reference is None else similarity(frames, reference)
    findings = judge(measures, baseline, thresholds, score)
    return RoundResult(measures, findings, reported(findings))
