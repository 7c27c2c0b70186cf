"""Ops evaluated in numpy when all their inputs are constants (shape arithmetic, mostly).

Graphs exported through ONNX → TensorFlow → TF.js (NanoDet among them) compute their reshape
targets from constants with ops such as ``SparseToDense``; folding them here keeps those ops out of
the ONNX graph and lets the builders see the shapes as constants.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from vigil.analytics.models.tfjs.graph import TfjsNode

__all__ = ["FOLDERS", "fold"]

Folder = Callable[[TfjsNode, list[np.ndarray]], np.ndarray]


def _sparse_to_dense(_node: TfjsNode, args: list[np.ndarray]) -> np.ndarray:
    indices, shape, values, default = args
    out = np.full(tuple(int(d) for d in np.atleast_1d(shape)), default, dtype=default.dtype)
    coordinates = indices.reshape(-1, 1) if indices.ndim < 2 else indices
    values = np.broadcast_to(values, (coordinates.shape[0],))
    for coordinate, value in zip(coordinates, values, strict=True):
        out[tuple(int(c) for c in coordinate)] = value
    return out


def _concat(_node: TfjsNode, args: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(args[:-1], axis=int(args[-1]))


def _cast(node: TfjsNode, args: list[np.ndarray]) -> np.ndarray:
    return args[0].astype(node.attr_dtype("DstT"))


#: TF op → its numpy evaluation on constant inputs.
FOLDERS: dict[str, Folder] = {
    "Identity": lambda node, args: args[0],
    "Add": lambda node, args: np.add(args[0], args[1]),
    "AddV2": lambda node, args: np.add(args[0], args[1]),
    "Sub": lambda node, args: np.subtract(args[0], args[1]),
    "Mul": lambda node, args: np.multiply(args[0], args[1]),
    "Cast": _cast,
    "ConcatV2": _concat,
    "Reshape": lambda node, args: args[0].reshape(tuple(int(d) for d in args[1])),
    "Transpose": lambda node, args: args[0].transpose(tuple(int(p) for p in args[1])),
    "SparseToDense": _sparse_to_dense,
}


def fold(node: TfjsNode, constants: dict[str, np.ndarray]) -> np.ndarray | None:
    """``node``'s value when it can be folded (a folder exists and every input is constant)."""
    folder = FOLDERS.get(node.op)
    if folder is None or not node.inputs or any(ref not in constants for ref in node.inputs):
        return None
    return np.asarray(folder(node, [constants[ref] for ref in node.inputs]))
