"""A TF.js graph model read from ``model.json`` and its shards: nodes, constants, inputs, outputs.

Tensor references follow TensorFlow: ``node`` or ``node:0`` is a node's first output, ``node:k``
its k-th; ``^node`` is a control dependency, which carries no data and is dropped here.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from vigil.analytics.models.tfjs.errors import TfjsImportError
from vigil.analytics.models.tfjs.weights import decode_weights

__all__ = ["TfjsGraph", "TfjsNode", "load_graph", "tensor_ref"]

#: TensorFlow's DataType names → numpy (the ones a detector's graph carries).
TF_DTYPES: dict[str, type[np.generic]] = {
    "DT_FLOAT": np.float32,
    "DT_HALF": np.float16,
    "DT_INT32": np.int32,
    "DT_INT64": np.int64,
    "DT_BOOL": np.bool_,
    "DT_UINT8": np.uint8,
}


def tensor_ref(ref: str) -> str:
    """The canonical name of a tensor reference: ``a:0`` and ``a`` are both ``a``."""
    return ref[:-2] if ref.endswith(":0") else ref


@dataclass(frozen=True)
class TfjsNode:
    """One node of the graph: its op, its data inputs (canonical refs) and its attributes."""

    name: str
    op: str
    inputs: tuple[str, ...]
    attr: dict[str, Any] = field(default_factory=dict)

    def output(self, index: int = 0) -> str:
        """The canonical name of this node's ``index``-th output."""
        return self.name if index == 0 else f"{self.name}:{index}"

    def attr_str(self, key: str, default: str = "") -> str:
        """A string attribute (stored base64-encoded in model.json)."""
        value = self.attr.get(key)
        return base64.b64decode(value["s"]).decode() if value and "s" in value else default

    def attr_strs(self, key: str) -> list[str]:
        """A list-of-strings attribute, such as ``fused_ops``."""
        items = self.attr.get(key, {}).get("list", {}).get("s", [])
        return [base64.b64decode(item).decode() for item in items]

    def attr_ints(self, key: str) -> list[int]:
        """A list-of-integers attribute, such as ``strides``; empty when absent."""
        return [int(i) for i in self.attr.get(key, {}).get("list", {}).get("i", [])]

    def attr_int(self, key: str, default: int = 0) -> int:
        """An integer attribute."""
        value = self.attr.get(key)
        return int(value["i"]) if value and "i" in value else default

    def attr_float(self, key: str, default: float = 0.0) -> float:
        """A float attribute, such as LeakyRelu's ``alpha``."""
        value = self.attr.get(key)
        return float(value["f"]) if value and "f" in value else default

    def attr_bool(self, key: str, default: bool = False) -> bool:
        """A boolean attribute."""
        value = self.attr.get(key)
        return bool(value["b"]) if value and "b" in value else default

    def attr_dtype(self, key: str) -> type[np.generic]:
        """A type attribute as a numpy type; an unknown type stops the import."""
        name = self.attr.get(key, {}).get("type", "DT_FLOAT")
        if name not in TF_DTYPES:
            raise TfjsImportError(f"node {self.name!r}: unsupported type {name}")
        return TF_DTYPES[name]


@dataclass(frozen=True)
class TfjsGraph:
    """The graph: nodes in file order, constant values, and the signature's inputs and outputs."""

    nodes: tuple[TfjsNode, ...]
    constants: dict[str, np.ndarray]
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]


def load_graph(model_json: Path) -> TfjsGraph:
    """Read a TF.js graph model: ``model.json`` and the weight shards beside it."""
    document = json.loads(model_json.read_text())
    if document.get("format") not in (None, "graph-model"):
        raise TfjsImportError(f"{model_json.name}: not a graph model ({document.get('format')})")
    topology = document["modelTopology"]
    if topology.get("library", {}).get("function"):
        raise TfjsImportError(f"{model_json.name}: graphs with functions are not supported")
    nodes = tuple(_node(raw) for raw in topology["node"])
    weights = decode_weights(
        document["weightsManifest"], lambda path: (model_json.parent / path).read_bytes()
    )
    constants = {node.name: _constant(node, weights) for node in nodes if node.op == "Const"}
    inputs = tuple(n.name for n in nodes if n.op == "Placeholder")
    signature = document.get("signature", {})
    outputs = tuple(tensor_ref(name) for name in signature.get("outputs", {}))
    if not outputs:
        raise TfjsImportError(f"{model_json.name}: the signature names no outputs")
    return TfjsGraph(nodes, constants, inputs, outputs)


def _node(raw: dict[str, Any]) -> TfjsNode:
    inputs = tuple(tensor_ref(ref) for ref in raw.get("input", []) if not ref.startswith("^"))
    return TfjsNode(raw["name"], raw["op"], inputs, raw.get("attr", {}))


def _constant(node: TfjsNode, weights: dict[str, np.ndarray]) -> np.ndarray:
    if node.name not in weights:
        raise TfjsImportError(f"constant {node.name!r} has no entry in the weights manifest")
    # TF.js stores int64 constants as int32; the node's own dtype restores them.
    return weights[node.name].astype(node.attr_dtype("dtype"))
