"""Synthetic scenes for the tracker's tests: objects moving in straight lines, frame by frame."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from vigil.analytics.detect.boxes import Detection
from vigil.analytics.track.evaluate import IdentifiedBox
from vigil.analytics.track.events import TrackStarted, TrackUpdate
from vigil.analytics.track.tracker import ByteTracker


@dataclass(frozen=True)
class Walker:
    """An object moving at constant velocity: its box at frame 0 and its pixels per frame."""

    identity: int
    label: str
    start: tuple[float, float, float, float]
    velocity: tuple[float, float] = (0.0, 0.0)
    seen: Callable[[int], bool] = lambda frame: True
    score: Callable[[int], float] = lambda frame: 0.9

    def box(self, frame: int) -> tuple[float, float, float, float]:
        x1, y1, x2, y2 = self.start
        dx, dy = self.velocity[0] * frame, self.velocity[1] * frame
        return (x1 + dx, y1 + dy, x2 + dx, y2 + dy)

    def detection(self, frame: int) -> Detection:
        return Detection(self.label, self.score(frame), self.box(frame))


@dataclass
class Run:
    """A scene played through a tracker: each frame's update and its ground truth."""

    updates: list[TrackUpdate]
    truth: list[list[IdentifiedBox]]
    detections: list[dict[Detection, int]]

    def track_of(self, frame: int, identity: int) -> int | None:
        """The track ID the tracker gave object ``identity`` in ``frame`` (None: not output)."""
        for tracked in self.updates[frame].tracks:
            if self.detections[frame].get(tracked.detection) == identity:
                return tracked.track_id
        return None

    def events(self) -> list[tuple[int, str, int]]:
        """Every event as ``(frame, "start" or "end", track ID)``."""
        return [
            (frame, "start" if isinstance(event, TrackStarted) else "end", event.track_id)
            for frame, update in enumerate(self.updates)
            for event in update.events
        ]


def play(tracker: ByteTracker, walkers: Sequence[Walker], frames: int) -> Run:
    """Frames 0 … ``frames`` − 1 of the scene through ``tracker`` (times are frame indices)."""
    run = Run([], [], [])
    for frame in range(frames):
        visible = [w for w in walkers if w.seen(frame)]
        detections = {w.detection(frame): w.identity for w in visible}
        run.detections.append(detections)
        run.truth.append([IdentifiedBox(w.identity, w.label, w.box(frame)) for w in visible])
        run.updates.append(tracker.update(frame, list(detections)))
    return run
