"""A ByteTrack-style multi-object tracker for one channel, sans-I/O: detections in, tracks out.

ByteTrack's idea (Zhang et al., 2022) is to use the low-score detections too, but only to keep
existing tracks alive: a person half hidden behind a pole scores low, and dropping that detection
would break the track. Each frame:

1. every track's Kalman state is predicted to the frame's time;
2. the high-score detections are matched to the confirmed tracks, tracked or lost, by the IoU of
   the detection with the predicted box;
3. the low-score detections are matched to the tracked tracks still unmatched (a lower IoU is
   asked of them, as the box of an occluded object is less reliable); tracked tracks still
   unmatched become lost;
4. the high-score detections left are matched to the tentative tracks; a tentative track is
   confirmed after ``min_hits`` consecutive hits and dropped at its first miss;
5. the high-score detections left start tentative tracks (when above ``new_track_score``);
6. a lost track unseen for more than ``track_buffer`` frames ends.

Matching is class-aware: a detection continues a track only when their labels are equal or in the
same group of :attr:`TrackerConfig.label_groups` (the detector may call one van a car, then a
truck), so a person never continues a car's track. A track's label is that of its best
detection.

Times are the caller's (frame indices or seconds); ``frame_interval`` says how much time one
frame is, so that prediction and the lost buffer count frames even when frames were skipped.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from vigil.analytics.detect.boxes import Detection
from vigil.analytics.track.events import (
    TrackedObject,
    TrackEnded,
    TrackEvent,
    TrackStarted,
    TrackUpdate,
)
from vigil.analytics.track.kalman import BoxKalman, KalmanState
from vigil.analytics.track.matching import match_boxes

__all__ = ["ByteTracker", "TrackerConfig"]

_VEHICLES = frozenset({"car", "truck", "bus"})


@dataclass(frozen=True)
class TrackerConfig:
    """The tracker's thresholds (ByteTrack's defaults, its IoU distances written as IoUs)."""

    high_score: float = 0.5
    """Detections at or above this score take part in the first association."""
    low_score: float = 0.1
    """Detections below this score are ignored; between the two, second association only."""
    new_track_score: float = 0.6
    """An unmatched high-score detection starts a tentative track only at or above this."""
    first_iou: float = 0.2
    """Least IoU for a high-score detection to continue a confirmed track."""
    second_iou: float = 0.5
    """Least IoU for a low-score detection to continue a tracked track."""
    tentative_iou: float = 0.3
    """Least IoU for a detection to continue a tentative track."""
    min_hits: int = 3
    """Consecutive hits that confirm a track (1: confirmed at once)."""
    track_buffer: float = 30.0
    """Frames a lost track is kept for; it ends when unseen for more than this."""
    frame_interval: float = 1.0
    """Time between two frames in the caller's unit (1 for frame indices; 0.2 for 5 fps)."""
    label_groups: tuple[frozenset[str], ...] = (_VEHICLES,)
    """Labels that may continue one another's tracks; any other label only continues its own."""

    def __post_init__(self) -> None:
        if not 0 <= self.low_score <= self.high_score:
            raise ValueError(f"need 0 ≤ low_score ({self.low_score}) ≤ high ({self.high_score})")
        if self.min_hits < 1 or self.frame_interval <= 0 or self.track_buffer < 0:
            raise ValueError("min_hits ≥ 1, frame_interval > 0 and track_buffer ≥ 0 are required")


class _State(enum.Enum):
    TENTATIVE = "tentative"
    TRACKED = "tracked"
    LOST = "lost"


@dataclass(eq=False)
class _Track:
    """A track's mutable state, private to the tracker (compared by identity)."""

    kalman: KalmanState
    group: frozenset[str]
    first: float
    last: float
    best: Detection
    detection: Detection
    state: _State = _State.TENTATIVE
    hits: int = 1
    track_id: int = 0
    predicted: tuple[float, float, float, float] = field(init=False)

    def __post_init__(self) -> None:
        self.predicted = self.kalman.box


class ByteTracker:
    """Tracks one channel's objects; feed it every analysed frame's detections in time order."""

    def __init__(self, config: TrackerConfig | None = None, kalman: BoxKalman | None = None):
        self.config = config or TrackerConfig()
        self._kalman = kalman or BoxKalman()
        self._tracks: list[_Track] = []
        self._next_id = 1
        self._stamp: float | None = None

    def update(self, stamp: float, detections: Iterable[Detection]) -> TrackUpdate:
        """Advance to the frame at ``stamp`` (later than the last) with its ``detections``."""
        self._predict(stamp)
        config = self.config
        kept = [d for d in detections if d.score >= config.low_score]
        high = [d for d in kept if d.score >= config.high_score]
        low = [d for d in kept if d.score < config.high_score]
        events: list[TrackEvent] = []

        confirmed = [t for t in self._tracks if t.state is not _State.TENTATIVE]
        unmatched, high = self._associate(confirmed, high, config.first_iou, stamp)
        tracked = [t for t in unmatched if t.state is _State.TRACKED]
        still_unmatched, _ = self._associate(tracked, low, config.second_iou, stamp)
        for track in still_unmatched:
            track.state = _State.LOST

        tentative = [t for t in self._tracks if t.state is _State.TENTATIVE]
        missed, high = self._associate(tentative, high, config.tentative_iou, stamp)
        self._tracks = [t for t in self._tracks if t not in missed]
        for detection in high:
            if detection.score >= config.new_track_score:
                self._tracks.append(self._new_track(detection, stamp))
        for track in self._tracks:
            if track.state is _State.TRACKED and track.track_id == 0:
                events.append(self._confirm(track))
        events.extend(self._end_lost(stamp))
        return TrackUpdate(stamp, self._visible(stamp), tuple(events))

    def finish(self) -> tuple[TrackEnded, ...]:
        """End every confirmed track (the channel stops); tentative tracks are dropped."""
        ended = tuple(_ended(t) for t in self._tracks if t.track_id)
        self._tracks = []
        return ended

    def _predict(self, stamp: float) -> None:
        if self._stamp is not None and stamp <= self._stamp:
            raise ValueError(f"frame time {stamp} is not after the previous one ({self._stamp})")
        frames = 1.0 if self._stamp is None else (stamp - self._stamp) / self.config.frame_interval
        self._stamp = stamp
        for track in self._tracks:
            lost = track.state is _State.LOST
            track.kalman = self._kalman.predict(track.kalman, frames, freeze_height=lost)
            track.predicted = track.kalman.box

    def _associate(
        self,
        tracks: Sequence[_Track],
        detections: Sequence[Detection],
        min_iou: float,
        stamp: float,
    ) -> tuple[list[_Track], list[Detection]]:
        """Match ``detections`` to ``tracks`` and update the matched tracks; the tracks and the
        detections left unmatched."""
        labels = [self._group(d.label) for d in detections]
        allowed = np.array([[t.group == g for g in labels] for t in tracks], dtype=bool)
        match = match_boxes(
            [t.predicted for t in tracks], [d.box for d in detections], min_iou, allowed
        )
        for i, j in match.pairs:
            self._hit(tracks[i], detections[j], stamp)
        return [tracks[i] for i in match.unmatched_a], [detections[j] for j in match.unmatched_b]

    def _hit(self, track: _Track, detection: Detection, stamp: float) -> None:
        track.kalman = self._kalman.update(track.kalman, detection.box)
        track.last = stamp
        track.detection = detection
        if detection.score > track.best.score:
            track.best = detection
        if track.state is _State.TENTATIVE:
            track.hits += 1
            if track.hits >= self.config.min_hits:
                track.state = _State.TRACKED
        else:
            track.state = _State.TRACKED

    def _new_track(self, detection: Detection, stamp: float) -> _Track:
        track = _Track(
            kalman=self._kalman.initiate(detection.box),
            group=self._group(detection.label),
            first=stamp,
            last=stamp,
            best=detection,
            detection=detection,
        )
        if self.config.min_hits <= 1:
            track.state = _State.TRACKED
        return track

    def _confirm(self, track: _Track) -> TrackStarted:
        track.track_id = self._next_id
        self._next_id += 1
        return TrackStarted(track.track_id, track.best.label, track.first, track.last, track.best)

    def _end_lost(self, stamp: float) -> list[TrackEnded]:
        buffer = self.config.track_buffer * self.config.frame_interval
        over = [t for t in self._tracks if t.state is _State.LOST and stamp - t.last > buffer]
        self._tracks = [t for t in self._tracks if t not in over]
        return [_ended(t) for t in over]

    def _visible(self, stamp: float) -> tuple[TrackedObject, ...]:
        return tuple(
            TrackedObject(t.track_id, t.best.label, t.detection.score, t.kalman.box, t.detection)
            for t in self._tracks
            if t.track_id and t.last == stamp
        )

    def _group(self, label: str) -> frozenset[str]:
        """The labels that ``label``'s tracks and detections may match."""
        for group in self.config.label_groups:
            if label in group:
                return group
        return frozenset({label})


def _ended(track: _Track) -> TrackEnded:
    return TrackEnded(track.track_id, track.best.label, track.first, track.last, track.best)
