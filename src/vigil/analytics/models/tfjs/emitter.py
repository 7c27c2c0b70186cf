"""The ONNX graph under construction: nodes, initialisers, and the constants known so far.

Builders ask it for the ONNX name of a TF tensor (a constant becomes an initialiser the first time
it is used as a tensor), for a constant's value (``need_const``), and for a tensor's static shape,
which ONNX shape inference computes over the graph built so far (only ``SAME`` padding with a
stride and ``-1`` splits need it).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import onnx
from onnx import helper, numpy_helper, shape_inference

from vigil.analytics.models.tfjs.errors import TfjsImportError
from vigil.analytics.models.tfjs.graph import TfjsNode

__all__ = ["Emitter"]


class Emitter:
    """Collects the ONNX nodes, initialisers and graph inputs of one conversion."""

    def __init__(self, constants: dict[str, np.ndarray], opset: int) -> None:
        self.constants = dict(constants)
        self.opset = opset
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: dict[str, onnx.TensorProto] = {}
        self.graph_inputs: list[onnx.ValueInfoProto] = []
        self._names: set[str] = set()

    def const(self, ref: str) -> np.ndarray | None:
        """The value of tensor ``ref`` when it is a constant (or was folded into one)."""
        return self.constants.get(ref)

    def need_const(self, node: TfjsNode, index: int) -> np.ndarray:
        """The constant value of ``node``'s ``index``-th input; any other input stops the import."""
        value = self.const(node.inputs[index])
        if value is None:
            raise TfjsImportError(
                f"node {node.name!r} ({node.op}): input {index} must be a constant"
            )
        return value

    def tensor(self, ref: str) -> str:
        """The ONNX name of TF tensor ``ref``; a constant becomes an initialiser on first use."""
        value = self.constants.get(ref)
        if value is not None and ref not in self.initializers:
            self.initializers[ref] = numpy_helper.from_array(value, ref)
        return ref

    def add_const(self, value: np.ndarray, hint: str) -> str:
        """A new initialiser holding ``value``; returns its (fresh) name."""
        name = self.fresh(hint)
        self.initializers[name] = numpy_helper.from_array(np.asarray(value), name)
        return name

    def fresh(self, hint: str) -> str:
        """A tensor name not used before, derived from ``hint``."""
        name, count = hint, 0
        while name in self._names or name in self.constants:
            count += 1
            name = f"{hint}__{count}"
        self._names.add(name)
        return name

    def add(self, op_type: str, inputs: list[str], outputs: list[str], **attrs: Any) -> None:
        """Append one ONNX node."""
        self._names.update(outputs)
        name = self.fresh(f"{outputs[0]}/{op_type}")
        self.nodes.append(helper.make_node(op_type, inputs, outputs, name=name, **attrs))

    def add_input(self, name: str, elem_type: int, shape: list[int | str]) -> None:
        """Declare a graph input."""
        self._names.add(name)
        self.graph_inputs.append(helper.make_tensor_value_info(name, elem_type, shape))

    def static_shape(self, ref: str) -> tuple[int, ...]:
        """The static shape of tensor ``ref``, from shape inference over the graph so far."""
        value = self.const(ref)
        if value is not None:
            return tuple(value.shape)
        inferred = shape_inference.infer_shapes(self.model([]))
        for info in [*inferred.graph.value_info, *inferred.graph.input]:
            if info.name == ref and info.type.tensor_type.HasField("shape"):
                dims = info.type.tensor_type.shape.dim
                if all(d.HasField("dim_value") for d in dims):
                    return tuple(d.dim_value for d in dims)
        raise TfjsImportError(f"tensor {ref!r}: its shape must be static here")

    def model(self, outputs: list[onnx.ValueInfoProto]) -> onnx.ModelProto:
        """The model built so far, with ``outputs`` as the graph's outputs."""
        graph = helper.make_graph(
            self.nodes,
            "tfjs",
            self.graph_inputs,
            outputs,
            initializer=list(self.initializers.values()),
        )
        opsets = [helper.make_opsetid("", self.opset)]
        return helper.make_model(
            graph, opset_imports=opsets, producer_name="vigil.analytics.models.tfjs"
        )
