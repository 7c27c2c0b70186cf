"""Where the packaged detection models are: names and the npm package's folder, nothing else, so
a part that only names a model (the live analytics service) does not load ONNX to do it."""

from __future__ import annotations

from pathlib import Path

__all__ = ["PACKAGED", "PACKAGE_DIR"]

#: The packaged TF.js models' folder (``models/`` at the repository root, an npm package).
PACKAGE_DIR = (
    Path(__file__).resolve().parents[4]
    / "models"
    / "node_modules"
    / "@vladmandic"
    / "human-models"
    / "models"
)

#: Packaged model name → its ``model.json`` inside :data:`PACKAGE_DIR`.
PACKAGED: dict[str, str] = {"nanodet": "nanodet.json"}
