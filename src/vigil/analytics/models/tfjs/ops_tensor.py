"""Builders for elementwise ops, activations and tensor plumbing (layout-free, NHWC kept).

Arguments that TensorFlow passes as tensors but ONNX wants as attributes or int64 inputs (perm,
axis, shape, split sizes) must be constants here.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from onnx import helper

from vigil.analytics.models.tfjs.activations import emit_activation
from vigil.analytics.models.tfjs.emitter import Emitter
from vigil.analytics.models.tfjs.graph import TfjsNode

__all__ = ["TENSOR_BUILDERS"]

Builder = Callable[[Emitter, TfjsNode], None]

_ELEMENTWISE = {
    "Add": "Add",
    "AddV2": "Add",
    "BiasAdd": "Add",
    "Sub": "Sub",
    "Mul": "Mul",
    "RealDiv": "Div",
    "Maximum": "Max",
    "Minimum": "Min",
    "Identity": "Identity",
}


def _elementwise(op_type: str) -> Builder:
    def build(em: Emitter, node: TfjsNode) -> None:
        em.add(op_type, [em.tensor(ref) for ref in node.inputs], [node.output()])

    return build


def _activation(em: Emitter, node: TfjsNode) -> None:
    alpha = node.attr_float("alpha", 0.2)
    emit_activation(em, node.op, em.tensor(node.inputs[0]), node.output(), alpha=alpha)


def _transpose(em: Emitter, node: TfjsNode) -> None:
    perm = [int(p) for p in em.need_const(node, 1)]
    em.add("Transpose", [em.tensor(node.inputs[0])], [node.output()], perm=perm)


def _concat(em: Emitter, node: TfjsNode) -> None:
    axis = int(em.need_const(node, len(node.inputs) - 1))
    values = [em.tensor(ref) for ref in node.inputs[:-1]]
    em.add("Concat", values, [node.output()], axis=axis)


def _reshape(em: Emitter, node: TfjsNode) -> None:
    shape = em.add_const(em.need_const(node, 1).astype(np.int64), f"{node.name}/shape")
    em.add("Reshape", [em.tensor(node.inputs[0]), shape], [node.output()])


def _split_v(em: Emitter, node: TfjsNode) -> None:
    sizes = em.need_const(node, 1).astype(np.int64)
    axis = int(em.need_const(node, 2))
    if (sizes < 0).any():
        total = em.static_shape(node.inputs[0])[axis]
        sizes[sizes < 0] = total - int(sizes[sizes >= 0].sum())
    split = em.add_const(sizes, f"{node.name}/split")
    outputs = [node.output(k) for k in range(len(sizes))]
    em.add("Split", [em.tensor(node.inputs[0]), split], outputs, axis=axis)


def _split(em: Emitter, node: TfjsNode) -> None:
    axis = int(em.need_const(node, 0))
    count = node.attr_int("num_split", 1)
    outputs = [node.output(k) for k in range(count)]
    em.add("Split", [em.tensor(node.inputs[1])], outputs, axis=axis, num_outputs=count)


def _pad(em: Emitter, node: TfjsNode) -> None:
    paddings = em.need_const(node, 1).astype(np.int64).reshape(-1, 2)
    pads = em.add_const(np.concatenate([paddings[:, 0], paddings[:, 1]]), f"{node.name}/pads")
    inputs = [em.tensor(node.inputs[0]), pads]
    if node.op == "PadV2":
        inputs.append(em.add_const(em.need_const(node, 2).astype(np.float32), f"{node.name}/c"))
    em.add("Pad", inputs, [node.output()], mode="constant")


def _cast(em: Emitter, node: TfjsNode) -> None:
    to = helper.np_dtype_to_tensor_dtype(np.dtype(node.attr_dtype("DstT")))
    em.add("Cast", [em.tensor(node.inputs[0])], [node.output()], to=to)


def _mean(em: Emitter, node: TfjsNode) -> None:
    axes = em.add_const(em.need_const(node, 1).astype(np.int64).reshape(-1), f"{node.name}/axes")
    keep = int(node.attr_bool("keep_dims"))
    em.add("ReduceMean", [em.tensor(node.inputs[0]), axes], [node.output()], keepdims=keep)


def _expand_dims(em: Emitter, node: TfjsNode) -> None:
    axes = em.add_const(em.need_const(node, 1).astype(np.int64).reshape(-1), f"{node.name}/axes")
    em.add("Unsqueeze", [em.tensor(node.inputs[0]), axes], [node.output()])


#: TF op → builder.
TENSOR_BUILDERS: dict[str, Builder] = {
    **{op: _elementwise(onnx_op) for op, onnx_op in _ELEMENTWISE.items()},
    **dict.fromkeys(("Relu", "Relu6", "LeakyRelu", "Sigmoid", "Tanh", "Elu"), _activation),
    "Transpose": _transpose,
    "ConcatV2": _concat,
    "Reshape": _reshape,
    "SplitV": _split_v,
    "Split": _split,
    "Pad": _pad,
    "PadV2": _pad,
    "Cast": _cast,
    "Mean": _mean,
    "ExpandDims": _expand_dims,
}
