"""The TF.js importer on the packaged NanoDet: ONNX Runtime's outputs against TF.js's own.

The reference (``tests/data/analytics/nanodet_reference``) was computed by
``tests/data/analytics/tfjs_reference.mjs`` running the same model in TF.js on the stored frame;
a test here reruns that script where Node.js and the ``models/`` package are installed, so the
stored values are checked rather than trusted.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from vigil.analytics.models.cache import (
    PACKAGE_DIR,
    ModelNotFoundError,
    cached_onnx,
    open_session,
    providers,
    resolve_model,
)

DATA = Path(__file__).parents[2] / "data" / "analytics"
REFERENCE = DATA / "nanodet_reference"
NANODET = PACKAGE_DIR / "nanodet.json"
SIZE = 416

needs_package = pytest.mark.skipif(
    not NANODET.is_file(), reason="the models/ npm package is not installed (make install)"
)


def read_ppm(path: Path) -> np.ndarray:
    """An 8-bit binary PPM as an H×W×3 RGB array."""
    data = path.read_bytes()
    magic, width, height, depth = data.split(maxsplit=4)[:4]
    assert (magic, depth) == (b"P6", b"255")
    pixels = np.frombuffer(data[-int(width) * int(height) * 3 :], dtype=np.uint8)
    return pixels.reshape(int(height), int(width), 3)


def frame_input() -> np.ndarray:
    """The stored frame at the top of a black 416² canvas: NCHW, RGB/255 (as the script does)."""
    frame = read_ppm(DATA / "vtest_frame120.ppm")
    canvas = np.zeros((1, 3, SIZE, SIZE), np.float32)
    canvas[0, :, : frame.shape[0], : frame.shape[1]] = frame.transpose(2, 0, 1) / np.float32(255)
    return canvas


def load_reference(folder: Path) -> dict[str, tuple[list[int], np.ndarray]]:
    """Output name → (kept rows, their values) as the reference script writes them."""
    rows: dict[str, list[int]] = json.loads((folder / "rows.json").read_text())
    return {name: (kept, np.load(folder / f"{name}.npy")) for name, kept in rows.items()}


@pytest.fixture(scope="module")
def nanodet_onnx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return cached_onnx(NANODET, tmp_path_factory.mktemp("models"))


@needs_package
def test_nanodet_matches_tfjs_reference(nanodet_onnx: Path) -> None:
    session = open_session(nanodet_onnx, threads=2)
    names = [output.name for output in session.get_outputs()]
    outputs = dict(zip(names, session.run(None, {"input_1": frame_input()}), strict=True))
    reference = load_reference(REFERENCE)
    assert sorted(reference) == sorted(names)
    for name, (rows, expected) in reference.items():
        difference = float(np.abs(outputs[name][0][rows] - expected).max())
        assert difference <= 1e-4, f"{name}: max abs difference {difference}"
    # The frame has people in it: the stride-8 class scores (already sigmoided) see them.
    assert 0.5 < float(outputs["Identity"].max()) <= 1.0


@needs_package
def test_conversion_is_cached_by_source_hash(nanodet_onnx: Path) -> None:
    written = nanodet_onnx.stat().st_mtime_ns
    again = cached_onnx(NANODET, nanodet_onnx.parent)
    assert again == nanodet_onnx and again.stat().st_mtime_ns == written
    assert again.name.startswith("nanodet-")


@needs_package
@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_reference_script_reproduces_the_stored_values(tmp_path: Path) -> None:
    script = DATA / "tfjs_reference.mjs"
    subprocess.run(
        ["node", str(script), str(tmp_path)], check=True, capture_output=True, timeout=240
    )
    fresh, stored = load_reference(tmp_path), load_reference(REFERENCE)
    assert fresh.keys() == stored.keys()
    for name, (rows, values) in stored.items():
        assert fresh[name][0] == rows, name
        np.testing.assert_array_equal(fresh[name][1], values, err_msg=name)


def test_providers_are_named_cuda_first_and_never_azure() -> None:
    everything = ["AzureExecutionProvider", "CUDAExecutionProvider", "CPUExecutionProvider"]
    assert providers(everything) == ["CUDAExecutionProvider", "CPUExecutionProvider"]
    assert providers(["AzureExecutionProvider", "CPUExecutionProvider"]) == ["CPUExecutionProvider"]


@needs_package
def test_models_resolve_by_packaged_name_tfjs_path_or_own_onnx(tmp_path: Path) -> None:
    converted = resolve_model("nanodet", tmp_path)
    assert converted.parent == tmp_path / "models" and converted.suffix == ".onnx"
    assert resolve_model(str(NANODET), tmp_path) == converted
    own = tmp_path / "own.onnx"
    own.write_bytes(converted.read_bytes())
    assert resolve_model(str(own), tmp_path) == own


def test_an_unknown_model_names_the_packaged_ones(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match=r"no such file, nor a packaged model \(nanodet\)"):
        resolve_model("yolo-nowhere", tmp_path)
    with pytest.raises(ModelNotFoundError, match="run `make install`"):
        resolve_model("nanodet", tmp_path, package_dir=tmp_path / "absent")
