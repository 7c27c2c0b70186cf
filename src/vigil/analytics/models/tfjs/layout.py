"""Layout helpers: NHWC ↔ NCHW around the ONNX ops that want channels first, and TF padding.

TensorFlow's ``SAME`` padding puts the odd pixel at the end; it is computed here into explicit ONNX
pads from the input's static size (ONNX Runtime rejects ``auto_pad=SAME_UPPER`` with dilation).
"""

from __future__ import annotations

import math

from vigil.analytics.models.tfjs.emitter import Emitter
from vigil.analytics.models.tfjs.errors import TfjsImportError
from vigil.analytics.models.tfjs.graph import TfjsNode

__all__ = ["from_nchw", "pads_for", "spatial", "to_nchw"]

_TO_NCHW = [0, 3, 1, 2]
_TO_NHWC = [0, 2, 3, 1]


def to_nchw(em: Emitter, ref: str, data_format: str) -> str:
    """The ONNX name of ``ref`` in NCHW (a Transpose when the graph keeps it in NHWC)."""
    name = em.tensor(ref)
    if data_format == "NCHW":
        return name
    out = em.fresh(f"{ref}/nchw")
    em.add("Transpose", [name], [out], perm=_TO_NCHW)
    return out


def from_nchw(em: Emitter, nchw: str, out: str, data_format: str) -> None:
    """Write the NCHW tensor ``nchw`` to the TF tensor ``out`` in the graph's layout."""
    if data_format == "NCHW":
        em.add("Identity", [nchw], [out])
    else:
        em.add("Transpose", [nchw], [out], perm=_TO_NHWC)


def spatial(values: list[int], data_format: str) -> list[int]:
    """The height and width entries of a 4-entry TF attribute (strides, ksize, dilations)."""
    if len(values) != 4:
        return [1, 1]
    return values[2:4] if data_format == "NCHW" else values[1:3]


def pads_for(
    em: Emitter, node: TfjsNode, kernel: list[int], strides: list[int], dilations: list[int]
) -> list[int]:
    """ONNX ``pads`` (h_begin, w_begin, h_end, w_end) for ``node``'s TF ``padding``."""
    padding = node.attr_str("padding", "VALID")
    data_format = node.attr_str("data_format", "NHWC")
    if padding == "VALID":
        return [0, 0, 0, 0]
    if padding == "EXPLICIT":
        pairs = node.attr_ints("explicit_paddings")
        h, w = (2, 3) if data_format == "NCHW" else (1, 2)
        return [pairs[2 * h], pairs[2 * w], pairs[2 * h + 1], pairs[2 * w + 1]]
    if padding != "SAME":
        raise TfjsImportError(f"node {node.name!r}: unsupported padding {padding!r}")
    sizes = [0, 0]
    if strides != [1, 1]:
        shape = em.static_shape(node.inputs[0])
        sizes = spatial(list(shape), data_format)
    begins, ends = [], []
    for size, k, s, d in zip(sizes, kernel, strides, dilations, strict=True):
        reach = (k - 1) * d + 1
        total = reach - 1 if s == 1 else max((math.ceil(size / s) - 1) * s + reach - size, 0)
        begins.append(total // 2)
        ends.append(total - total // 2)
    return begins + ends
