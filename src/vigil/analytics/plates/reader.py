"""Reading a line of text with a CTC recogniser (CRNN and PP-OCR's SVTR both are one).

The picture (BGR) is resized to the model's height keeping its aspect, scaled to [-1, 1], padded
on the right to at least a square; the network gives each column step a distribution over
blank (index 0) and the characters; the reading is the best character of each step with repeats
merged and blanks dropped (greedy CTC), its score the mean probability of the characters kept.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from vigil.analytics.models.cache import open_session

__all__ = ["CtcReader", "Reading"]

#: The widest input, in pixels (a plate at height 48 is ~150 wide; a longer line is squeezed).
MAX_WIDTH = 320


@dataclass(frozen=True, slots=True)
class Reading:
    """A line read and its score (0..1)."""

    text: str
    score: float


class CtcReader:
    """See the module docstring: ``characters`` are the model's classes after blank (index 1
    on); ``height`` the input height it was trained at."""

    def __init__(
        self, model: Path, characters: list[str], *, height: int, threads: int = 1
    ) -> None:
        self._session = open_session(model, threads=threads)
        self._input = self._session.get_inputs()[0].name
        self._characters = ["", *characters]
        self.height = height

    @classmethod
    def with_dictionary(cls, model: Path, dictionary: Path, *, height: int) -> CtcReader:
        """A reader whose characters are the lines of ``dictionary``."""
        lines = dictionary.read_text(encoding="utf-8").splitlines()
        return cls(model, [line.strip() for line in lines if line.strip()], height=height)

    @classmethod
    def with_metadata(cls, model: Path, *, height: int) -> CtcReader:
        """A reader whose characters are in the model's ``character`` metadata (PP-OCR's export),
        with the space PP-OCR appends last."""
        reader = cls(model, [], height=height)
        meta = reader._session.get_modelmeta().custom_metadata_map
        reader._characters = ["", *meta["character"].splitlines(), " "]
        return reader

    def read(self, bgr: np.ndarray) -> Reading:
        """The text in ``bgr`` (one line filling the picture)."""
        height, width = bgr.shape[:2]
        new_width = max(1, min(MAX_WIDTH, math.ceil(self.height * width / max(height, 1))))
        resized = cv2.resize(bgr, (new_width, self.height)).astype(np.float32)
        tensor = np.zeros((1, 3, self.height, max(new_width, self.height)), dtype=np.float32)
        tensor[0, :, :, :new_width] = (resized / 127.5 - 1.0).transpose(2, 0, 1)
        steps = self._session.run(None, {self._input: tensor})[0][0]
        best = steps.argmax(1)
        probability = steps.max(1)
        text: list[str] = []
        kept: list[float] = []
        previous = 0
        for index, p in zip(best.tolist(), probability.tolist(), strict=True):
            if index != 0 and index != previous and index < len(self._characters):
                text.append(self._characters[index])
                kept.append(p)
            previous = index
        return Reading("".join(text), float(np.mean(kept)) if kept else 0.0)
