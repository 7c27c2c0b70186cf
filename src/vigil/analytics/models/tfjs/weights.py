"""The weight shards of a TF.js model: the manifest's entries decoded into numpy arrays.

A manifest group lists shard files that together hold its weights back to back, in the order the
group lists them. A weight is stored in its own ``dtype`` or, when ``quantization`` is present, in a
narrower one: ``float16`` (widened back), or ``uint8``/``uint16`` with ``value = q * scale + min``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from vigil.analytics.models.tfjs.errors import TfjsImportError

__all__ = ["decode_weights"]

_STORED: dict[str, type[np.generic]] = {
    "float32": np.float32,
    "int32": np.int32,
    "bool": np.bool_,
    "uint8": np.uint8,
    "uint16": np.uint16,
    "float16": np.float16,
}


def decode_weights(
    manifest: Iterable[dict[str, Any]], read_shard: Callable[[str], bytes]
) -> dict[str, np.ndarray]:
    """Every weight of ``manifest`` by name; ``read_shard`` returns a shard file's bytes by path."""
    weights: dict[str, np.ndarray] = {}
    for group in manifest:
        data = b"".join(read_shard(path) for path in group["paths"])
        offset = 0
        for spec in group["weights"]:
            value, offset = _decode_one(spec, data, offset)
            weights[spec["name"]] = value
    return weights


def _decode_one(spec: dict[str, Any], data: bytes, offset: int) -> tuple[np.ndarray, int]:
    shape = tuple(int(d) for d in spec["shape"])
    quantization = spec.get("quantization")
    stored_name = quantization["dtype"] if quantization else spec["dtype"]
    stored = _STORED.get(stored_name)
    if stored is None:
        raise TfjsImportError(f"weight {spec['name']!r}: unsupported dtype {stored_name!r}")
    count = int(np.prod(shape, dtype=np.int64))
    size = count * np.dtype(stored).itemsize
    if offset + size > len(data):
        raise TfjsImportError(f"weight {spec['name']!r}: the shards end before its bytes do")
    raw = np.frombuffer(data, dtype=np.dtype(stored).newbyteorder("<"), count=count, offset=offset)
    value = _dequantize(raw, quantization) if quantization else raw.astype(stored)
    return value.reshape(shape), offset + size


def _dequantize(raw: np.ndarray, quantization: dict[str, Any]) -> np.ndarray:
    if quantization["dtype"] == "float16":
        return raw.astype(np.float32)
    scale = np.float32(quantization["scale"])
    low = np.float32(quantization["min"])
    value = raw.astype(np.float32) * scale + low
    if quantization.get("original_dtype") == "int32":
        return np.round(value).astype(np.int32)
    return value
