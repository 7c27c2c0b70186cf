"""int8 NanoDet: static QDQ quantization with activation ranges that ship with Vigil.

ONNX Runtime's quantizer does the work (weights int8 per output channel, activations uint8, the
QuantizeLinear/DequantizeLinear form that its CPU provider fuses into integer kernels). Static
quantization needs each activation's range; they were measured once, by
``tools/calibrate_nanodet.py`` (ONNX Runtime's min-max calibrator) on frames of
``footage/vtest.avi`` outside the stretch that is hand-labelled for the accuracy figures, and ship
in ``calibration/nanodet.json`` beside this module: the ONNX model they were measured on, and
tensor name → [min, max]. The heads stay in float from their last convolution on: class scores
are sigmoids of its output, and a score above the largest the calibration frames saw would clip
(in uint8, ranges are hard limits); the box distributions feed a softmax. So do the max-pool and
its padding, whose -inf no range holds. Nothing is measured at run time. The names belong to one
conversion of the model (the converted file's stem carries the digest of the TF.js source and the
importer's version) and to ONNX Runtime's rewrites of it, so :func:`packaged_calibration` gives the
ranges for that model only, and :func:`quantized` refuses ranges that cover too little of the graph
(:class:`CalibrationMismatchError`); a changed importer needs a new calibration, and until then
the detector runs in float.

On this project's CPU (AMD EPYC with AVX-512 VNNI) int8 halves the detector's time
(``bench/analytics.py``); on a CPU without VNNI, uint8 × int8 products can saturate, so a user who
finds int8 less accurate there sets ``VIGIL_ANALYTICS_PRECISION=fp32``. GPUs run the float model.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import onnx
from onnxruntime.quantization import (
    CalibrationMethod,
    QuantFormat,
    QuantType,
    quantize_static,
)
from onnxruntime.quantization.calibrate import TensorsData, save_tensors_data

__all__ = [
    "CALIBRATION",
    "Calibration",
    "CalibrationMismatchError",
    "packaged_calibration",
    "quantized",
]

#: The share of a model's activations the ranges must cover (ONNX Runtime's rewrites name some
#: tensors; another version may name them otherwise).
MIN_COVERAGE = 0.9

#: The shipped activation ranges of the packaged NanoDet.
CALIBRATION = Path(__file__).resolve().parent / "calibration" / "nanodet.json"


class CalibrationMismatchError(ValueError):
    """The ranges do not fit the model (measured on another conversion or graph)."""


@dataclass(frozen=True)
class Calibration:
    """Activation ranges measured on one ONNX model (named by its file's stem)."""

    model: str
    ranges: dict[str, tuple[float, float]]
    source: str = ""

    def digest(self) -> str:
        """SHA-256 of the model's name and its ranges: names the quantized file."""
        text = json.dumps([self.model, sorted(self.ranges.items())])
        return hashlib.sha256(text.encode()).hexdigest()

    def to_json(self) -> dict[str, Any]:
        ranges = {name: [lo, hi] for name, (lo, hi) in sorted(self.ranges.items())}
        return {"model": self.model, "source": self.source, "ranges": ranges}

    @classmethod
    def from_json(cls, document: dict[str, Any]) -> Calibration:
        ranges = {name: (float(lo), float(hi)) for name, (lo, hi) in document["ranges"].items()}
        return cls(str(document["model"]), ranges, str(document.get("source", "")))


def packaged_calibration(model: Path, path: Path = CALIBRATION) -> Calibration | None:
    """The shipped ranges when ``model`` is the conversion they were measured on, else None."""
    if not path.is_file():
        return None
    calibration = Calibration.from_json(json.loads(path.read_text()))
    return calibration if calibration.model == model.stem else None


def quantized(path: Path, calibration: Calibration, cache_dir: Path) -> Path:
    """``path`` quantized to int8 with ``calibration``'s ranges, cached in ``cache_dir``
    (``<stem>-int8-<ranges' digest>.onnx``), written now if absent."""
    target = cache_dir / f"{path.stem}-int8-{calibration.digest()[:12]}.onnx"
    if target.is_file():
        return target
    model = onnx.load(str(path))
    constants = {tensor.name for tensor in model.graph.initializer} | {""}
    activations = {name for node in model.graph.node for name in [*node.input, *node.output]}
    activations -= constants
    covered = len(activations & calibration.ranges.keys()) / max(1, len(activations))
    if covered < MIN_COVERAGE:
        raise CalibrationMismatchError(
            f"the int8 ranges cover {covered:.0%} of {path.name}'s tensors: run "
            "tools/calibrate_nanodet.py, or set VIGIL_ANALYTICS_PRECISION=fp32"
        )
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with tempfile.TemporaryDirectory(dir=cache_dir) as scratch:
        ranges = Path(scratch) / "ranges.json"
        save_tensors_data(_tensors_data(calibration), ranges)
        quantize_static(
            path,
            partial,
            None,
            quant_format=QuantFormat.QDQ,
            per_channel=True,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8,
            calibrate_method=CalibrationMethod.MinMax,
            calibration_cache_path=ranges,
            nodes_to_exclude=_float_nodes(model, calibration),
        )
    os.replace(partial, target)
    return target


def _float_nodes(model: onnx.ModelProto, calibration: Calibration) -> list[str]:
    """The heads (:func:`_heads`) and the nodes with a tensor the ranges leave out (the max-pool's
    padding is -inf: no int8 range holds it)."""
    constants = {tensor.name for tensor in model.graph.initializer} | {""}
    unranged = [
        node.name
        for node in model.graph.node
        if {*node.input, *node.output} - constants - calibration.ranges.keys()
    ]
    return _heads(model) + unranged


def _heads(model: onnx.ModelProto) -> list[str]:
    """The nodes from each output back to its nearest convolution, that one included."""
    producers = {output: node for node in model.graph.node for output in node.output}
    names: list[str] = []
    for output in model.graph.output:
        node = producers.get(output.name)
        while node is not None:
            names.append(node.name)
            if node.op_type == "Conv":
                break
            node = producers.get(node.input[0])
    return names


def _tensors_data(calibration: Calibration) -> TensorsData:
    return TensorsData(
        CalibrationMethod.MinMax,
        {name: (np.float32(lo), np.float32(hi)) for name, (lo, hi) in calibration.ranges.items()},
    )
