"""Variants of the converted NanoDet: any batch size (a GPU runs many cameras' frames in one call),
and a shorter input for landscape pictures (a 16:9 frame fills only 234 of 416 rows).

The importer writes NanoDet as it was traced: input ``[1, 3, 416, 416]``, the three Reshapes that
flatten the heads with the constant shape ``[1, C, -1]``, and the neck's four Resizes with constant
output sizes. ONNX's Reshape reads a 0 as "this dimension of the input", so ``[0, C, -1]`` keeps
whatever batch came in; a Resize's sizes scale with the input's height exactly when that height is
a multiple of the largest stride (32). The variant has the input ``[batch, 3, height, 416]``; its
heads then give ``height/s × 416/s`` anchors per stride ``s``, row by row, which are the first rows
of the square model's anchors. A model of another shape than this gives ``None`` (run it as it is).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper

__all__ = ["STRIDE", "nanodet_variant"]

#: Heights of a variant are multiples of NanoDet's largest stride.
STRIDE = 32


def nanodet_variant(path: Path, height: int, cache_dir: Path) -> Path | None:
    """``path``'s variant for any batch and inputs ``height`` rows high, in ``cache_dir``
    (``<stem>-h<height>.onnx``), written now if absent; ``None`` when it cannot be made."""
    target = cache_dir / f"{path.stem}-h{height}.onnx"
    if target.is_file():
        return target
    model = onnx.load(str(path))
    if height % STRIDE or not (_free_batch(model.graph) and _set_height(model.graph, height)):
        return None
    del model.graph.value_info[:]  # the importer's inferred shapes; ONNX Runtime infers anew
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    partial.write_bytes(model.SerializeToString())
    os.replace(partial, target)
    return target


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


def _set_height(graph: onnx.GraphProto, height: int) -> bool:
    dims = graph.input[0].type.tensor_type.shape.dim
    side = dims[2].dim_value
    sizes = _constants(graph, "Resize", 3)
    if len(dims) != 4 or side != dims[3].dim_value or sizes is None or height > side:
        return False
    for name, value in sizes.items():
        rows = value[-2] * height / side
        if value.ndim != 1 or rows != int(rows):
            return False
        shorter = np.concatenate([value[:-2], [int(rows)], value[-1:]]).astype(value.dtype)
        _replace(graph, name, shorter)
    dims[2].dim_value = height
    for value_info in graph.output:
        value_info.type.tensor_type.shape.dim[1].dim_param = "anchors"
    return True
