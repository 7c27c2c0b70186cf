"""A visible caption burnt into a picture's luma: who exported it, when, for which case.

Drawn with OpenCV's Hershey font (ASCII only: other characters become ``?``), solid white on the
picture darkened behind it so it reads on any picture, one line per newline, as large as the
picture's height allows but never wider than the picture, along the bottom-left edge. Burnt into
the pixels, it survives a re-encode, a screen capture and a crop that keeps it.
"""

from __future__ import annotations

import cv2
import numpy as np
from numpy.typing import NDArray

__all__ = ["ascii_caption", "burn_caption", "caption_band"]

_FONT = cv2.FONT_HERSHEY_SIMPLEX
_WHITE = 235
_SHADE = 35
"""Percent of its brightness the picture keeps behind the caption."""


def ascii_caption(text: str) -> list[str]:
    """The caption's lines, with what the font cannot draw replaced by ``?``."""
    return ["".join(c if 32 <= ord(c) < 127 else "?" for c in line) for line in text.split("\n")]


def _layout(width: int, height: int, text: str) -> tuple[list[str], float, int, int, int]:
    """The lines, font scale, stroke, margin and line height for a ``width`` × ``height``
    picture."""
    lines = ascii_caption(text)
    margin = max(4, height // 60)
    widest = max(cv2.getTextSize(line, _FONT, 1.0, 1)[0][0] for line in lines)
    scale = max(0.3, min(height / 540, (width - 2 * margin) / max(1, widest)))
    stroke = max(1, round(scale * 2.5))
    line_height = round(cv2.getTextSize("Ag", _FONT, scale, stroke)[0][1] * 1.6) + stroke
    return lines, scale, stroke, margin, line_height


def caption_band(width: int, height: int, text: str) -> tuple[int, int, int, int]:
    """The rectangle (left, top, right, bottom) the caption and its shade cover."""
    lines, scale, stroke, margin, line_height = _layout(width, height, text)
    widest = max(cv2.getTextSize(line, _FONT, scale, stroke)[0][0] for line in lines)
    top = height - margin - line_height * len(lines) - stroke
    return max(0, margin - 2), max(0, top), min(width, margin + widest + 2), height


def burn_caption(luma: NDArray[np.uint8], text: str) -> None:
    """Draw ``text`` into ``luma`` (a picture's Y plane, changed in place)."""
    height, width = luma.shape
    lines, scale, stroke, margin, line_height = _layout(width, height, text)
    left, top, right, bottom = caption_band(width, height, text)
    band = luma[top:bottom, left:right]
    band[...] = (band.astype(np.uint16) * _SHADE // 100).astype(np.uint8)
    for index, line in enumerate(lines):
        baseline = height - margin - line_height * (len(lines) - 1 - index)
        cv2.putText(luma, line, (margin, baseline), _FONT, scale, _WHITE, stroke, cv2.LINE_8)
