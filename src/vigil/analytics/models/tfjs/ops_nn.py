"""Builders for the convolution family, pooling and resizing (channels-first in ONNX).

Each takes its NHWC input through a Transpose to NCHW and its result back (see ``layout``); ONNX
Runtime's optimiser removes the pairs that meet. Filters must be constants: they are rearranged here
from TF's HWIO (depthwise: HW·C·M) into ONNX's OIHW.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from vigil.analytics.models.tfjs.activations import ACTIVATIONS, emit_activation
from vigil.analytics.models.tfjs.emitter import Emitter
from vigil.analytics.models.tfjs.errors import TfjsImportError
from vigil.analytics.models.tfjs.graph import TfjsNode
from vigil.analytics.models.tfjs.layout import from_nchw, pads_for, spatial, to_nchw

__all__ = ["NN_BUILDERS"]


def _weight(em: Emitter, node: TfjsNode, depthwise: bool) -> tuple[np.ndarray, int]:
    """The ONNX OIHW weight and the group count for ``node``'s constant TF filter."""
    filt = em.need_const(node, 1).astype(np.float32)
    if filt.ndim != 4:
        raise TfjsImportError(f"node {node.name!r}: a 4-D filter is needed, not {filt.shape}")
    kh, kw, channels, multiplier = filt.shape
    if depthwise:
        weight = filt.transpose(2, 3, 0, 1).reshape(channels * multiplier, 1, kh, kw)
        return weight, channels
    return filt.transpose(3, 2, 0, 1), 1


def _fusion(em: Emitter, node: TfjsNode) -> tuple[str | None, list[str]]:
    """The bias initialiser and the activations of a fused convolution's ``fused_ops``."""
    fused = node.attr_strs("fused_ops")
    if not fused:
        return None, []
    if fused[0] != "BiasAdd" or any(op not in ACTIVATIONS for op in fused[1:]):
        raise TfjsImportError(f"node {node.name!r}: unsupported fused ops {fused}")
    bias = em.add_const(em.need_const(node, 2).astype(np.float32), f"{node.name}/bias")
    return bias, fused[1:]


def _conv(em: Emitter, node: TfjsNode, depthwise: bool) -> None:
    data_format = node.attr_str("data_format", "NHWC")
    weight, group = _weight(em, node, depthwise)
    kernel = list(weight.shape[2:])
    strides = spatial(node.attr_ints("strides"), data_format)
    dilations = spatial(node.attr_ints("dilations"), data_format)
    pads = pads_for(em, node, kernel, strides, dilations)
    bias, activations = _fusion(em, node)
    inputs = [to_nchw(em, node.inputs[0], data_format), em.add_const(weight, f"{node.name}/w")]
    y = em.fresh(f"{node.name}/conv")
    attrs = {"kernel_shape": kernel, "strides": strides, "dilations": dilations, "pads": pads}
    em.add("Conv", [*inputs, *([bias] if bias else [])], [y], group=group, **attrs)
    for kind in activations:
        out = em.fresh(f"{node.name}/{kind}")
        slope = ""
        if kind == "Prelu":
            alpha = em.need_const(node, 3).astype(np.float32)
            slope = em.add_const(alpha.reshape(-1, 1, 1), f"{node.name}/slope")
        emit_activation(
            em, kind, y, out, alpha=node.attr_float("leakyrelu_alpha", 0.2), slope=slope
        )
        y = out
    from_nchw(em, y, node.output(), data_format)


def _pool(em: Emitter, node: TfjsNode) -> None:
    data_format = node.attr_str("data_format", "NHWC")
    kernel = spatial(node.attr_ints("ksize"), data_format)
    strides = spatial(node.attr_ints("strides"), data_format)
    pads = pads_for(em, node, kernel, strides, [1, 1])
    x = to_nchw(em, node.inputs[0], data_format)
    y = em.fresh(f"{node.name}/pool")
    op = "MaxPool" if node.op == "MaxPool" else "AveragePool"
    em.add(op, [x], [y], kernel_shape=kernel, strides=strides, pads=pads)
    from_nchw(em, y, node.output(), data_format)


def _resize(em: Emitter, node: TfjsNode) -> None:
    size = em.need_const(node, 1).astype(np.int64).reshape(2)
    bilinear = node.op == "ResizeBilinear"
    if node.attr_bool("align_corners"):
        transform = "align_corners"
    elif node.attr_bool("half_pixel_centers"):
        transform = "half_pixel" if bilinear else "tf_half_pixel_for_nn"
    else:
        transform = "asymmetric"
    x = to_nchw(em, node.inputs[0], "NHWC")
    sizes = em.add_const(size, f"{node.name}/sizes")
    y = em.fresh(f"{node.name}/resize")
    attrs: dict[str, Any] = {"mode": "linear" if bilinear else "nearest", "axes": [2, 3]}
    if not bilinear:
        attrs["nearest_mode"] = "round_prefer_ceil" if transform == "align_corners" else "floor"
    em.add("Resize", [x, "", "", sizes], [y], coordinate_transformation_mode=transform, **attrs)
    from_nchw(em, y, node.output(), "NHWC")


#: TF op → builder.
NN_BUILDERS = {
    "Conv2D": lambda em, node: _conv(em, node, depthwise=False),
    "_FusedConv2D": lambda em, node: _conv(em, node, depthwise=False),
    "DepthwiseConv2dNative": lambda em, node: _conv(em, node, depthwise=True),
    "FusedDepthwiseConv2dNative": lambda em, node: _conv(em, node, depthwise=True),
    "MaxPool": _pool,
    "AvgPool": _pool,
    "ResizeBilinear": _resize,
    "ResizeNearestNeighbor": _resize,
}
