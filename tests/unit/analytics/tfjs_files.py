"""Writes small TF.js graph models (model.json + one shard) for the importer's tests."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import numpy as np

_DT = {np.dtype(np.float32): "DT_FLOAT", np.dtype(np.int32): "DT_INT32"}


def s(text: str) -> dict[str, str]:
    """A string attribute as model.json stores it."""
    return {"s": base64.b64encode(text.encode()).decode()}


def ints(values: list[int]) -> dict[str, dict[str, list[str]]]:
    """A list-of-integers attribute."""
    return {"list": {"i": [str(v) for v in values]}}


def node(name: str, op: str, *inputs: str, **attr: Any) -> dict[str, Any]:
    """One graph node."""
    return {"name": name, "op": op, "input": list(inputs), "attr": attr}


def placeholder(name: str, shape: list[int]) -> dict[str, Any]:
    """A float32 graph input of a fixed shape."""
    dims = [{"size": str(d)} for d in shape]
    return node(name, "Placeholder", shape={"shape": {"dim": dims}}, dtype={"type": "DT_FLOAT"})


def write_model(
    folder: Path,
    nodes: list[dict[str, Any]],
    constants: dict[str, np.ndarray],
    outputs: list[str],
    *,
    float16: bool = False,
) -> Path:
    """Write model.json and weights.bin into ``folder``; float constants optionally as float16."""
    specs, chunks = [], []
    for name, value in constants.items():
        dtype = _DT[value.dtype]
        nodes = [*nodes, node(name, "Const", dtype={"type": dtype})]
        spec: dict[str, Any] = {"name": name, "shape": list(value.shape), "dtype": str(value.dtype)}
        if float16 and value.dtype == np.float32:
            spec["quantization"] = {"dtype": "float16", "original_dtype": "float32"}
            value = value.astype(np.float16)
        specs.append(spec)
        chunks.append(value.astype(value.dtype.newbyteorder("<")).tobytes())
    (folder / "weights.bin").write_bytes(b"".join(chunks))
    signature = {"outputs": {f"{name}:0": {"name": f"{name}:0"} for name in outputs}}
    document = {
        "format": "graph-model",
        "modelTopology": {"node": nodes},
        "weightsManifest": [{"paths": ["weights.bin"], "weights": specs}],
        "signature": signature,
    }
    path = folder / "model.json"
    path.write_text(json.dumps(document))
    return path
