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
frame by frame. Sessions use CUDA when ONNX Runtime has it, then the CPU.
"""

from __future__ import annotations

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

__all__ = ["Detector", "UnsupportedModelError"]

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
    ) -> None:
        """Load ``model``; ``threads`` bounds ONNX Runtime's pool (0: one per core), ``batch``
        joins the frames of :meth:`detect_batch` into one run where the model allows it (by
        default on a GPU only: on the CPU one run per frame is as fast or faster), and
        ``variants`` lets NanoDet run as its variants (any batch, shorter landscape inputs)."""
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
        self.variants = variants and self.kind == "nanodet" and self._variant(self.size)
        on_gpu = session.get_providers()[0] == "CUDAExecutionProvider"
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
                    found[k] = self._decode(outputs, prepared[k][1], source)
        return found

    def _variant(self, height: int) -> bool:
        """Open the NanoDet variant for inputs ``height`` rows high; whether there is one."""
        if height not in self.sessions:
            path = nanodet_variant(self.path, height, self.cache_dir)
            if path is None:
                return False
            self.sessions[height] = open_session(path, threads=self.threads)
        return True

    def _prepare(self, frame: np.ndarray) -> tuple[np.ndarray, float]:
        """The model's input for ``frame`` and its scale; a landscape frame's input is cut to
        the rows its picture fills (rounded up to a stride) when a variant takes that height."""
        tensor, scale = letterbox(frame, self.size)
        if not self.variants:
            return tensor, scale
        rows = min(self.size, STRIDE * math.ceil(frame.shape[0] * scale / STRIDE))
        if rows < self.size and self._variant(rows):
            return np.ascontiguousarray(tensor[:, :, :rows]), scale
        return tensor, scale

    def _decode(
        self, outputs: dict[str, np.ndarray], scale: float, source: tuple[int, int]
    ) -> list[Detection]:
        if self.kind == "nanodet":
            return self.nanodet.decode(_squared(outputs, self.nanodet), scale, source)
        return self.yolo.decode(outputs[self.names[0]], scale, source)


def _squared(outputs: dict[str, np.ndarray], decoder: NanoDetDecoder) -> dict[str, np.ndarray]:
    """A shorter input's head outputs padded with empty anchors to the square model's count: its
    anchors are the square's first rows, row by row, and the rows below it hold nothing."""
    counts = sorted({value.shape[1] for value in outputs.values()}, reverse=True)
    strides = zip(counts, decoder.strides, strict=True)
    full = {n: math.ceil(decoder.size / s) ** 2 for n, s in strides}
    return {
        name: np.pad(value, ((0, 0), (0, full[value.shape[1]] - value.shape[1]), (0, 0)))
        for name, value in outputs.items()
    }


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
