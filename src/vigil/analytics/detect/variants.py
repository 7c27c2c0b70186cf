"""Variants of the converted NanoDet: any batch size (a GPU runs many cameras' frames in one call),
a shorter input for landscape pictures (a 16:9 frame fills only 234 of 416 rows), and int8.

The importer writes NanoDet as it was traced: input ``[1, 3, 416, 416]``, the three Reshapes that
flatten the heads with the constant shape ``[1, C, -1]``, and the neck's four Resizes with constant
output sizes. ONNX's Reshape reads a 0 as "this dimension of the input", so ``[0, C, -1]`` keeps
whatever batch came in; a Resize given scales instead of sizes (×2 up, ×½ down, exact for any
height that is a multiple of the largest stride, 32) fits any input height. That free model,
simplified by ONNX Runtime's basic rewrites (``<stem>-free.onnx``), is the source of every
variant: its input height set to ``height`` rows, its heads give ``height/s × 416/s`` anchors per
stride ``s``, row by row, which are the first rows of the square model's anchors. (Resizes by
scales also keep ONNX Runtime's NHWC rewriting of quantized graphs working: with sizes and
``axes`` it fails on them.) An int8 variant is quantized once from the free model
(:mod:`vigil.analytics.models.quantize`). A model of another shape than this gives ``None`` (run
it as it is).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper, shape_inference
from onnxruntime.quantization.shape_inference import quant_pre_process

from vigil.analytics.models.quantize import Calibration, quantized

__all__ = ["STRIDE", "nanodet_variant"]

#: Heights of a variant are multiples of NanoDet's largest stride.
STRIDE = 32


def nanodet_variant(
    path: Path, height: int, cache_dir: Path, calibration: Calibration | None = None
) -> Path | None:
    """``path``'s variant for any batch and inputs ``height`` rows high, in ``cache_dir``
    (``<stem>-h<height>.onnx``, or ``<stem>-int8-<digest>-h<height>.onnx`` quantized with
    ``calibration``), written now if absent; ``None`` when it cannot be made."""
    kind = "" if calibration is None else f"-int8-{calibration.digest()[:12]}"
    target = cache_dir / f"{path.stem}{kind}-h{height}.onnx"
    if target.is_file():
        return target
    free = _free_model(path, cache_dir)
    if free is None or height % STRIDE:
        return None
    if calibration is not None:
        free = quantized(free, calibration, cache_dir)
    model = onnx.load(str(free))
    dims = model.graph.input[0].type.tensor_type.shape.dim
    if height > dims[3].dim_value:
        return None
    dims[2].dim_value = height
    del model.graph.value_info[:]  # shapes inferred for the square input; ONNX Runtime infers anew
    for value_info in model.graph.output:
        value_info.type.tensor_type.shape.dim[1].dim_param = "anchors"
    _write(model, target)
    return target


def _free_model(path: Path, cache_dir: Path) -> Path | None:
    """``path`` with a free batch and Resizes by scales (``<stem>-free.onnx``); None if not
    NanoDet-shaped."""
    target = cache_dir / f"{path.stem}-free.onnx"
    if target.is_file():
        return target
    model = onnx.load(str(path))
    dims = model.graph.input[0].type.tensor_type.shape.dim
    if len(dims) != 4 or dims[2].dim_value != dims[3].dim_value or not dims[2].dim_value:
        return None
    if not (_free_batch(model.graph) and _scaled_resizes(model)):
        return None
    del model.graph.value_info[:]  # the importer's inferred shapes; ONNX Runtime infers anew
    graph = target.with_name(f".{target.stem}.{os.getpid()}.graph.onnx")
    _write(model, graph)
    try:
        _optimise(graph, target)
    finally:
        graph.unlink()
    return target


def _optimise(source: Path, target: Path) -> None:
    """ONNX Runtime's preparation for quantization (its basic, standard-operator rewrites, then
    shape inference): transposes cancelled, padding and biases folded into the convolutions. A
    float session would do the rewrites itself on loading; done before quantization, they leave
    one quantized convolution where there were three operators."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    quant_pre_process(source, partial, skip_symbolic_shape=True)
    os.replace(partial, target)


def _write(model: onnx.ModelProto, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    partial.write_bytes(model.SerializeToString())
    os.replace(partial, target)  # whole or absent: a reader never sees half a file


def _constants(graph: onnx.GraphProto, op: str, position: int) -> dict[str, np.ndarray] | None:
    """The constant inputs at ``position`` of every ``op`` node, by name (None if one is not)."""
    initializers = {tensor.name: tensor for tensor in graph.initializer}
    names = {n.input[position] for n in graph.node if n.op_type == op and len(n.input) > position}
    if not names <= initializers.keys():
        return None
    return {name: numpy_helper.to_array(initializers[name]) for name in names}


def _replace(graph: onnx.GraphProto, name: str, value: np.ndarray) -> None:
    (tensor,) = (t for t in graph.initializer if t.name == name)
    tensor.CopyFrom(numpy_helper.from_array(value, name))


def _free_batch(graph: onnx.GraphProto) -> bool:
    shapes = _constants(graph, "Reshape", 1)
    if not shapes or any(v.ndim != 1 or v[0] != 1 for v in shapes.values()):
        return False
    for name, value in shapes.items():
        _replace(graph, name, np.concatenate([[0], value[1:]]).astype(value.dtype))
    for value_info in [*graph.input, *graph.output]:
        value_info.type.tensor_type.shape.dim[0].dim_param = "batch"
    return True


def _scaled_resizes(model: onnx.ModelProto) -> bool:
    """Every Resize given the scales of its constant sizes over its input's (inferred) shape."""
    sizes = _constants(model.graph, "Resize", 3)
    if sizes is None:
        return False
    inferred = shape_inference.infer_shapes(model).graph.value_info
    shapes = {v.name: [d.dim_value for d in v.type.tensor_type.shape.dim] for v in inferred}
    for node in (n for n in model.graph.node if n.op_type == "Resize"):
        shape, size = shapes.get(node.input[0], []), sizes[node.input[3]]
        axes = [list(a.ints) for a in node.attribute if a.name == "axes"]
        if len(shape) != 4 or size.shape != (2,) or axes not in ([], [[2, 3]]) or 0 in shape:
            return False
        scales = np.array([1, 1, size[0] / shape[2], size[1] / shape[3]], np.float32)
        name = f"{node.name}/scales"
        model.graph.initializer.append(numpy_helper.from_array(scales, name))
        del node.input[3]
        node.input[2] = name
        kept = [a for a in node.attribute if a.name != "axes"]
        del node.attribute[:]
        node.attribute.extend(kept)
    unused = sizes.keys() - {name for node in model.graph.node for name in node.input}
    kept_initializers = [t for t in model.graph.initializer if t.name not in unused]
    del model.graph.initializer[:]
    model.graph.initializer.extend(kept_initializers)
    return True
