"""The importer's errors: a model it cannot read, and ops it has no builder for."""

from __future__ import annotations

__all__ = ["TfjsImportError", "UnsupportedOpError"]


class TfjsImportError(ValueError):
    """The TF.js model cannot be imported: a malformed file, or a node the importer cannot map."""


class UnsupportedOpError(TfjsImportError):
    """The graph uses TensorFlow ops that the importer has no ONNX builder for."""

    def __init__(self, ops: dict[str, str]) -> None:
        self.ops = dict(sorted(ops.items()))
        listed = ", ".join(f"{op} (node {node!r})" for op, node in self.ops.items())
        super().__init__(f"unsupported TF.js ops: {listed}")
