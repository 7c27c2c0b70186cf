"""A batched copy of the converted NanoDet: the batch dimension made free, so a GPU can run the
sampled frames of many cameras in one call.

The importer writes NanoDet with a batch of one: its input is ``[1, 3, 416, 416]`` and the three
Reshapes that flatten the heads have the constant shape ``[1, C, -1]``. ONNX's Reshape reads a 0 as
"this dimension of the input", so ``[0, C, -1]`` keeps whatever batch came in; with the input's
and outputs' first dimension named ``batch``, the same weights run any batch size. Only a model
whose every Reshape constant starts with 1 is rewritten; any other gives ``None`` (run per frame).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper

__all__ = ["batched_onnx"]


def batched_onnx(path: Path) -> Path | None:
    """``path``'s batched copy beside it (``<stem>-batched.onnx``), written now if absent; or
    ``None`` when the model cannot be rewritten this way."""
    target = path.with_name(f"{path.stem}-batched.onnx")
    if target.is_file():
        return target
    model = onnx.load(str(path))
    if not _free_batch(model.graph):
        return None
    partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    partial.write_bytes(model.SerializeToString())
    os.replace(partial, target)
    return target


def _free_batch(graph: onnx.GraphProto) -> bool:
    """Rewrite ``graph`` in place for any batch size; whether it could be."""
    initializers = {tensor.name: tensor for tensor in graph.initializer}
    shapes = {node.input[1] for node in graph.node if node.op_type == "Reshape"}
    if not shapes or not shapes <= initializers.keys():
        return False
    values = {name: numpy_helper.to_array(initializers[name]) for name in shapes}
    if any(value.ndim != 1 or value[0] != 1 for value in values.values()):
        return False
    for name, value in values.items():
        freed = np.concatenate([[0], value[1:]]).astype(value.dtype)
        initializers[name].CopyFrom(numpy_helper.from_array(freed, name))
    for value_info in [*graph.input, *graph.output]:
        value_info.type.tensor_type.shape.dim[0].dim_param = "batch"
    del graph.value_info[:]  # the importer's inferred shapes say batch 1; ONNX Runtime infers anew
    return True
