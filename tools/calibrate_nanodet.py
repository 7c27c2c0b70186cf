"""Measure the packaged NanoDet's activation ranges for its int8 variant, once, and write them where
the package ships them (``src/vigil/analytics/models/calibration/nanodet.json``).

The frames are ``footage/vtest.avi`` at 1 fps, leaving out frames 180 to 320: the hand-labelled
stretch (200 to 298) that the accuracy figures are scored on, with a margin, so the ranges are not
measured on the frames they are judged by. Each frame is prepared as the detector prepares it
(letterboxed to 416, the 320 rows a 4:3 picture fills) and run through the float model's variant
for that height; ONNX Runtime's min-max calibrator records every tensor's range. Run it again when
the importer's version or the packaged model changes (the converted model's name changes with
them, and :func:`vigil.analytics.models.quantize.packaged_calibration` refuses stale ranges).

    python tools/calibrate_nanodet.py [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from onnxruntime.quantization import CalibrationDataReader, CalibrationMethod, create_calibrator

from vigil.analytics.detect.nanodet import letterbox
from vigil.analytics.detect.variants import nanodet_variant
from vigil.analytics.frames.sampler import FrameSampler
from vigil.analytics.models.cache import resolve_model
from vigil.analytics.models.quantize import CALIBRATION, Calibration

ROOT = Path(__file__).resolve().parents[1]
FOOTAGE = ROOT / "footage" / "vtest.avi"
LEFT_OUT = range(180, 321)  # the labelled frames 200-298, with a margin
SIZE, HEIGHT = 416, 320


class Frames(CalibrationDataReader):  # type: ignore[misc]
    """The calibration frames as the variant's input."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.frames: Iterator[np.ndarray] = (
            letterbox(f.image, SIZE, HEIGHT)[0]
            for f in FrameSampler(FOOTAGE, fps=1.0)
            if f.index not in LEFT_OUT
        )
        self.count = 0

    def get_next(self) -> dict[str, np.ndarray] | None:
        tensor = next(self.frames, None)
        if tensor is None:
            return None
        self.count += 1
        return {self.name: tensor}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=CALIBRATION, help="where to write the ranges")
    out = parser.parse_args().out
    if not FOOTAGE.is_file():
        sys.exit(f"{FOOTAGE} is missing: run `make install`")
    with tempfile.TemporaryDirectory() as scratch:
        data_dir = Path(scratch)
        model = resolve_model("nanodet", data_dir)
        variant = nanodet_variant(model, HEIGHT, data_dir / "models")
        if variant is None:
            sys.exit(f"{model} has no {HEIGHT}-row variant")
        calibrator = create_calibrator(
            variant,
            augmented_model_path=str(data_dir / "augmented.onnx"),
            calibrate_method=CalibrationMethod.MinMax,
        )
        frames = Frames("input_1")
        calibrator.collect_data(frames)
        measured = calibrator.compute_data()
    measured_ranges = {
        name: (float(np.min(data.range_value[0])), float(np.max(data.range_value[1])))
        for name, data in measured.items()
    }
    # The max-pool's padding is -inf: its tensors have no int8 range and stay float.
    ranges = {name: r for name, r in measured_ranges.items() if all(map(math.isfinite, r))}
    source = f"vtest.avi at 1 fps, {frames.count} frames, frames 180-320 left out; min-max"
    calibration = Calibration(model.stem, ranges, source)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(calibration.to_json(), indent=1) + "\n")
    print(f"{out}: {len(ranges)} tensors from {frames.count} frames")  # noqa: T201


if __name__ == "__main__":
    main()
