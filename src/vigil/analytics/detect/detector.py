"""The detector: a model run on frames, giving COCO detections in the frames' own pixels.

Frames are H×W×3 ``uint8`` arrays in **RGB** order (PyAV's ``rgb24``; OpenCV's BGR frames need
``frame[..., ::-1]`` first). A model is named as :func:`~vigil.analytics.models.cache.resolve_model`
takes it: ``nanodet`` (packaged, converted once and cached under the data directory), a TF.js
``model.json``, or a user's own ``.onnx``. What the model gives decides the decoding: NanoDet's six
head outputs (:mod:`.nanodet`), or one YOLOv5/YOLOv8 output (:mod:`.yolo`); anything else is an
:class:`UnsupportedModelError` saying what was found.

:meth:`Detector.detect_batch` runs several frames (the sampled frames of several cameras) in one
call when the model takes a batch: a user's model whose batch dimension is free, or the packaged
NanoDet through its variants (:mod:`.variants`), which also feed a landscape frame as a shorter
input (416×320 for 4:3, 416×256 for 16:9: a quarter to two fifths less work than 416²); otherwise
frame by frame. Sessions use CUDA when ONNX Runtime has it, then the CPU. On the CPU the packaged
NanoDet runs in int8 by default (:mod:`vigil.analytics.models.quantize`: half the time, ranges that
ship with Vigil); ``precision="fp32"`` keeps it in float, and a GPU always runs it in float.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import onnxruntime as ort

from vigil.analytics.detect.boxes import Detection
from vigil.analytics.detect.nanodet import NanoDetDecoder, letterbox
from vigil.analytics.detect.variants import STRIDE, nanodet_variant
from vigil.analytics.detect.yolo import UnsupportedLayoutError, YoloDecoder, yolo_layout
from vigil.analytics.models.cache import open_session, resolve_model
from vigil.analytics.models.quantize import (
    Calibration,
    CalibrationMismatchError,
    packaged_calibration,
)

__all__ = ["PRECISIONS", "Detector", "UnsupportedModelError"]

log = logging.getLogger(__name__)

#: ``auto``: int8 on the CPU where the model's ranges ship, float on a GPU.
PRECISIONS = ("auto", "int8", "fp32")

#: The input side assumed for a user's model whose input size is not fixed.
DEFAULT_SIZE = 640
_NANODET_OUTPUTS = 6


class UnsupportedModelError(ValueError):
    """The model's inputs or outputs are not ones this detector can feed or decode."""


class Detector:
    """One model, loaded once; :meth:`detect` and :meth:`detect_batch` run it on RGB frames."""

    def __init__(
        self,
        model: str = "nanodet",
        *,
        data_dir: Path,
        threads: int = 0,
        score_threshold: float = 0.35,
        batch: bool | None = None,
        variants: bool = True,
        precision: str = "auto",
    ) -> None:
        """Load ``model``; ``threads`` bounds ONNX Runtime's pool (0: one per core), ``batch``
        joins the frames of :meth:`detect_batch` into one run where the model allows it (by
        default on a GPU only: on the CPU one run per frame is as fast or faster), and
        ``variants`` lets NanoDet run as its variants (any batch, shorter landscape inputs, int8
        as ``precision`` says: see :data:`PRECISIONS`); :attr:`precision` says what runs."""
        if precision not in PRECISIONS:
            raise ValueError(f"precision {precision!r}: expected one of {', '.join(PRECISIONS)}")
        self.path = resolve_model(model, data_dir)
        self.cache_dir = data_dir / "models"
        self.threads = threads
        session = open_session(self.path, threads=threads)
        self.input = session.get_inputs()[0]
        self.names = [output.name for output in session.get_outputs()]
        self.size = _input_size(self.input.shape)
        self.kind = _kind([tuple(output.shape) for output in session.get_outputs()])
        self.nanodet = NanoDetDecoder(size=self.size, score_threshold=score_threshold)
        self.yolo = YoloDecoder(score_threshold=score_threshold)
        self.base = session
        self.sessions: dict[int, ort.InferenceSession] = {}
        on_gpu = session.get_providers()[0] == "CUDAExecutionProvider"
        self.calibration = _calibration(self.path, precision, on_gpu and precision == "auto")
        self.variants = variants and self.kind == "nanodet" and self._first_variant()
        self.precision = "int8" if self.variants and self.calibration else "fp32"
        joined = on_gpu if batch is None else batch
        self.batched = joined and (self.variants or not isinstance(self.input.shape[0], int))

    def detect(self, frame: np.ndarray) -> list[Detection]:
        """The objects in one RGB frame, boxes in its pixels."""
        return self.detect_batch([frame])[0]

    def detect_batch(self, frames: Sequence[np.ndarray]) -> list[list[Detection]]:
        """The objects in each frame, in order; frames of one input shape in one run when the
        model takes a batch."""
        prepared = [self._prepare(frame) for frame in frames]
        groups: dict[int, list[int]] = {}
        for k, (tensor, _) in enumerate(prepared):
            groups.setdefault(tensor.shape[2], []).append(k)
        found: list[list[Detection]] = [[] for _ in frames]
        for height, members in groups.items():
            runs = [members] if self.batched else [[k] for k in members]
            for run in runs:
                tensor = np.concatenate([prepared[k][0] for k in run])
                session = self.sessions.get(height, self.base)
                values = session.run(self.names, {self.input.name: tensor})
                for row, k in enumerate(run):
                    named = zip(self.names, values, strict=True)
                    outputs = {name: v[row : row + 1] for name, v in named}
                    source = (frames[k].shape[1], frames[k].shape[0])
                    found[k] = self._decode(outputs, prepared[k][1], source, height)
        return found

    def _first_variant(self) -> bool:
        """Open the square variant; int8 ranges that do not fit the model leave it in float."""
        try:
            return self._variant(self.size)
        except CalibrationMismatchError as exc:
            log.warning("detector runs in float: %s", exc)
            self.calibration = None
            return self._variant(self.size)

    def _variant(self, height: int) -> bool:
        """Open the NanoDet variant for inputs ``height`` rows high; whether there is one."""
        if height not in self.sessions:
            path = nanodet_variant(self.path, height, self.cache_dir, self.calibration)
            if path is None:
                return False
            self.sessions[height] = open_session(path, threads=self.threads)
        return True

    def _prepare(self, frame: np.ndarray) -> tuple[np.ndarray, float]:
        """The model's input for ``frame`` and its scale; a landscape frame's input is cut to
        the rows its picture fills (rounded up to a stride) when a variant takes that height."""
        scale = self.size / max(frame.shape[:2])
        rows = min(self.size, STRIDE * math.ceil(frame.shape[0] * scale / STRIDE))
        if not (self.variants and rows < self.size and self._variant(rows)):
            rows = self.size
        return letterbox(frame, self.size, rows)

    def _decode(
        self, outputs: dict[str, np.ndarray], scale: float, source: tuple[int, int], rows: int
    ) -> list[Detection]:
        if self.kind == "nanodet":
            return self.nanodet.decode(outputs, scale, source, rows)
        return self.yolo.decode(outputs[self.names[0]], scale, source)


def _calibration(path: Path, precision: str, on_gpu: bool) -> Calibration | None:
    """The shipped int8 ranges for ``path`` when int8 is asked for (or ``auto`` on the CPU)."""
    if precision == "fp32" or on_gpu:
        return None
    return packaged_calibration(path)


def _input_size(shape: Sequence[int | str | None]) -> int:
    """The square side of an NCHW input (``DEFAULT_SIZE`` when not fixed)."""
    if len(shape) != 4 or (isinstance(shape[1], int) and shape[1] != 3):
        raise UnsupportedModelError(f"input shape {list(shape)}: expected [batch, 3, side, side]")
    height, width = shape[2], shape[3]
    if isinstance(height, int) and isinstance(width, int):
        if height != width:
            raise UnsupportedModelError(f"input {height}x{width}: only square inputs are fed")
        return height
    return DEFAULT_SIZE


def _kind(shapes: list[tuple[int | str | None, ...]]) -> str:
    """``"nanodet"`` or ``"yolo"`` from the outputs' shapes."""
    if len(shapes) == _NANODET_OUTPUTS and {s[-1] for s in shapes} == {80, 44}:
        return "nanodet"
    if len(shapes) == 1 and all(isinstance(d, int) for d in shapes[0][1:]):
        try:
            yolo_layout((1, *(int(d) for d in shapes[0][1:])))  # type: ignore[arg-type]
        except UnsupportedLayoutError as exc:
            raise UnsupportedModelError(str(exc)) from None
        return "yolo"
    raise UnsupportedModelError(
        f"outputs {[list(s) for s in shapes]}: "
        "expected NanoDet's six heads or one YOLOv5/YOLOv8 output"
    )
