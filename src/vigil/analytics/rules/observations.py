"""What the rules read, per frame of one channel: the tracked objects and the frame's size.

Boxes are in source pixels, as the detector and the tracker give them; rules are drawn in
normalised coordinates (0..1 of the frame), so the foot point is normalised here, by the frame's
size at that instant — a rule drawn once survives a change of resolution.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

__all__ = ["Box", "FrameSize", "Point", "TrackedObject"]

Box = tuple[float, float, float, float]
"""x1, y1, x2, y2 in source pixels."""

Point = tuple[float, float]
"""x, y in normalised frame coordinates (0..1, y down)."""


class FrameSize(NamedTuple):
    """The frame's width and height in pixels."""

    width: int
    height: int


@dataclass(frozen=True, slots=True)
class TrackedObject:
    """One object of one frame, as the tracker reports it: a stable track id per channel."""

    track_id: int
    label: str
    score: float
    box: Box

    def foot(self, size: FrameSize) -> Point:
        """The bottom centre of the box, normalised: where a person stands (NVRs place people in
        zones by their feet, so a head over the zone's edge does not count)."""
        x1, _, x2, y2 = self.box
        return ((x1 + x2) / 2 / size.width, y2 / size.height)

    def area(self) -> float:
        """The box's area in square pixels."""
        x1, y1, x2, y2 = self.box
        return max(0.0, x2 - x1) * max(0.0, y2 - y1)
