"""The conversion: walk the TF.js graph in dependency order and emit one ONNX model.

Before anything is emitted the whole graph is checked against the builder table, so a model with
ops the importer lacks fails at once with every missing op named (:class:`UnsupportedOpError`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnx
from onnx import checker, helper, shape_inference

from vigil.analytics.models.tfjs.emitter import Emitter
from vigil.analytics.models.tfjs.errors import TfjsImportError, UnsupportedOpError
from vigil.analytics.models.tfjs.fold import FOLDERS, fold
from vigil.analytics.models.tfjs.graph import TfjsGraph, TfjsNode, load_graph
from vigil.analytics.models.tfjs.ops_nn import NN_BUILDERS
from vigil.analytics.models.tfjs.ops_tensor import TENSOR_BUILDERS

__all__ = ["BUILDERS", "IMPORTER_VERSION", "OPSET", "convert_graph", "convert_model_json"]

#: Raised whenever a change here changes the ONNX it writes, so that cached conversions are redone.
IMPORTER_VERSION = 1

#: The ONNX opset the builders target (Resize's ``axes`` and Split's ``num_outputs`` need 18).
OPSET = 18

#: TF op → the function that emits its ONNX nodes.
BUILDERS: dict[str, Callable[[Emitter, TfjsNode], None]] = {**TENSOR_BUILDERS, **NN_BUILDERS}

_STRUCTURAL = frozenset({"Const", "Placeholder", "NoOp"})


def convert_model_json(model_json: Path) -> onnx.ModelProto:
    """Read a TF.js graph model (``model.json`` and its shards) and convert it to ONNX."""
    return convert_graph(load_graph(model_json))


def convert_graph(graph: TfjsGraph) -> onnx.ModelProto:
    """Convert a loaded TF.js graph to a checked ONNX model with the signature's outputs."""
    _check_supported(graph)
    em = Emitter(graph.constants, OPSET)
    for node in _in_dependency_order(graph.nodes):
        _emit(em, node)
    outputs = [_output(em, ref) for ref in graph.outputs]
    model = shape_inference.infer_shapes(em.model(outputs))
    inferred = {info.name: info for info in model.graph.value_info}
    for output in model.graph.output:
        if output.name in inferred:
            output.CopyFrom(inferred[output.name])
    checker.check_model(model)
    return model


def _check_supported(graph: TfjsGraph) -> None:
    missing: dict[str, str] = {}
    known = BUILDERS.keys() | FOLDERS.keys() | _STRUCTURAL
    for node in graph.nodes:
        if node.op not in known:
            missing.setdefault(node.op, node.name)
    if missing:
        raise UnsupportedOpError(missing)


def _emit(em: Emitter, node: TfjsNode) -> None:
    if node.op in ("Const", "NoOp"):
        return
    if node.op == "Placeholder":
        _declare_input(em, node)
        return
    value = fold(node, em.constants)
    if value is not None:
        em.constants[node.output()] = value
        return
    builder = BUILDERS.get(node.op)
    if builder is None:
        raise TfjsImportError(f"node {node.name!r} ({node.op}) can only be folded, not computed")
    builder(em, node)


def _declare_input(em: Emitter, node: TfjsNode) -> None:
    dims = node.attr.get("shape", {}).get("shape", {}).get("dim", [])
    shape: list[int | str] = [
        int(d.get("size", -1)) if int(d.get("size", -1)) >= 0 else f"{node.name}_{i}"
        for i, d in enumerate(dims)
    ]
    elem_type = helper.np_dtype_to_tensor_dtype(np.dtype(node.attr_dtype("dtype")))
    em.add_input(node.name, elem_type, shape)


def _output(em: Emitter, ref: str) -> onnx.ValueInfoProto:
    name = ref.replace(":", "_")
    if name != ref or em.const(ref) is not None:
        em.add("Identity", [em.tensor(ref)], [name])
    return helper.make_empty_tensor_value_info(name)


def _in_dependency_order(nodes: tuple[TfjsNode, ...]) -> list[TfjsNode]:
    """``nodes`` sorted so that every node comes after the nodes it reads (depth first)."""
    by_name = {node.name: node for node in nodes}
    ordered: list[TfjsNode] = []
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    for root in nodes:
        stack = [(root, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                state[node.name] = 2
                ordered.append(node)
                continue
            if state.get(node.name):
                continue
            state[node.name] = 1
            stack.append((node, True))
            for ref in node.inputs:
                producer = by_name.get(ref.split(":")[0])
                if producer is None:
                    raise TfjsImportError(f"node {node.name!r} reads unknown tensor {ref!r}")
                if state.get(producer.name) != 2:
                    stack.append((producer, False))
    return ordered
