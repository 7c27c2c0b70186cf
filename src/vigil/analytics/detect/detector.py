"""The detector: a model run on frames, giving COCO detections in the frames' own pixels.

Frames are H×W×3 ``uint8`` arrays in **RGB** order (PyAV's ``rgb24``; OpenCV's BGR frames need
``frame[..., ::-1]`` first). A model is named as :func:`~vigil.analytics.models.cache.resolve_model`
takes it: ``nanodet`` (packaged, converted once and cached under the data directory), a TF.js
``model.json``, or a user's own ``.onnx``. What the model gives decides the decoding: NanoDet's six
head outputs (:mod:`.nanodet`), or one YOLOv5/YOLOv8 output (:mod:`.yolo`); anything else is an
:class:`UnsupportedModelError` saying what was found.

:meth:`Detector.detect_batch` runs several frames (the sampled frames of several cameras) in one
call when the model takes a batch: a user's model whose batch dimension is free, or the packaged
NanoDet through its batched copy (:mod:`.batching`); otherwise frame by frame. Sessions use CUDA
when ONNX Runtime has it, then the CPU.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from vigil.analytics.detect.batching import batched_onnx
from vigil.analytics.detect.boxes import Detection
from vigil.analytics.detect.nanodet import NanoDetDecoder, letterbox
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
        batch: bool = True,
    ) -> None:
        """Load ``model``; ``threads`` bounds ONNX Runtime's pool (0: one per core), ``batch``
        asks for batched runs where the model allows them."""
        path = resolve_model(model, data_dir)
        self.session = open_session(path, threads=threads)
        self.input = self.session.get_inputs()[0]
        self.names = [output.name for output in self.session.get_outputs()]
        self.size = _input_size(self.input.shape)
        self.kind = _kind([tuple(output.shape) for output in self.session.get_outputs()])
        self.nanodet = NanoDetDecoder(size=self.size, score_threshold=score_threshold)
        self.yolo = YoloDecoder(score_threshold=score_threshold)
        self.batched = batch and not isinstance(self.input.shape[0], int)
        if batch and self.kind == "nanodet" and not self.batched:
            copy = batched_onnx(path)
            if copy is not None:
                self.session = open_session(copy, threads=threads)
                self.batched = True

    def detect(self, frame: np.ndarray) -> list[Detection]:
        """The objects in one RGB frame, boxes in its pixels."""
        return self.detect_batch([frame])[0]

    def detect_batch(self, frames: Sequence[np.ndarray]) -> list[list[Detection]]:
        """The objects in each frame, in order; one model run when the model takes a batch."""
        if not frames:
            return []
        prepared = [letterbox(frame, self.size) for frame in frames]
        if self.batched:
            runs = [np.concatenate([tensor for tensor, _ in prepared])]
        else:
            runs = [tensor for tensor, _ in prepared]
        outputs: list[dict[str, np.ndarray]] = []
        for tensor in runs:
            values = self.session.run(self.names, {self.input.name: tensor})
            for k in range(tensor.shape[0]):
                outputs.append(
                    {name: v[k : k + 1] for name, v in zip(self.names, values, strict=True)}
                )
        return [
            self._decode(out, scale, (frame.shape[1], frame.shape[0]))
            for out, (_, scale), frame in zip(outputs, prepared, frames, strict=True)
        ]

    def _decode(
        self, outputs: dict[str, np.ndarray], scale: float, source: tuple[int, int]
    ) -> list[Detection]:
        if self.kind == "nanodet":
            return self.nanodet.decode(outputs, scale, source)
        return self.yolo.decode(outputs[self.names[0]], scale, source)


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
