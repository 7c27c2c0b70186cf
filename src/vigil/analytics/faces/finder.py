"""The face finder of anonymised exports, loaded when an export asks for one.

:class:`FaceFinders` is what the composition root hands the playback service for ``faces``:
called, it loads a :class:`~vigil.analytics.faces.detector.FaceDetector` (a new one per export:
an export runs in a thread of its own, and a detector is for one thread), and turns a model that
cannot be used into :class:`~vigil.errors.Unavailable`. ONNX and ONNX Runtime are imported then,
not when the node starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vigil.errors import Unavailable

if TYPE_CHECKING:
    from vigil.analytics.faces.detector import FaceDetector

__all__ = ["FaceFinders"]


@dataclass(frozen=True)
class FaceFinders:
    """Loads face detectors on ``path`` (unset: the packaged CenterFace) with ``threads``."""

    path: Path | None = None
    threads: int = 1

    def __call__(self) -> FaceDetector:
        # Here, not at the top: ONNX is imported when an export first needs it.
        from vigil.analytics.faces.detector import FaceDetector
        from vigil.analytics.faces.model import FaceModelError

        try:
            return FaceDetector(self.path, threads=self.threads)
        except FaceModelError as exc:
            raise Unavailable(
                f"faces cannot be anonymised: {exc}", code="faces.model_unusable"
            ) from exc
