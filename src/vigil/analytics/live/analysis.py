"""One channel's analysis, frame by frame: sample, gate, detect, track, rules; outcomes out.

Sans-I/O (no process, no queue, no clock of its own unless given): the worker process feeds it
decoded frames with their times and sends on what comes back. A frame is analysed when it is due
at the configured rate; a due frame older than ``max_lag`` seconds is dropped and counted (the
worker is behind: catching up on old pictures would only make it later). The motion gate decides
whether the detector runs: when nothing moved, the last frame's detections stand (the objects are
where they were), so still objects keep their tracks while the detector rests.

Track starts and ends become :class:`~.messages.TrackOpened` / :class:`~.messages.TrackClosed`
(the best detection's crop kept as pixels while the track lives; at its end it is encoded once and
the object's attributes — vehicle type and colour, clothing colours — are read from it once,
by :func:`vigil.analytics.attributes.describe`); each rule event becomes a
:class:`~.messages.RuleHit` with the frame's snapshot.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from vigil.analytics.attributes import PixelBox, describe
from vigil.analytics.detect.boxes import Detection
from vigil.analytics.frames.motion import MotionGate
from vigil.analytics.live.evidence import Box, framed, jpeg, normalised, snapshot
from vigil.analytics.live.messages import Outcome, RuleHit, TrackClosed, TrackOpened
from vigil.analytics.rules import ChannelRules, FrameSize, LineCounts, Rule
from vigil.analytics.rules import TrackedObject as RuleObject
from vigil.analytics.track import ByteTracker, TrackEnded, TrackerConfig

__all__ = ["ChannelAnalysis"]

Detect = Callable[[np.ndarray], Sequence[Detection]]

#: Seconds a lost track is kept before it ends.
LOST_SECONDS = 3.0


@dataclass
class _Open:
    """What is kept of an open track: its boxes (normalised), frames seen, best crop (with the
    object's box in the crop's pixels)."""

    first_box: Box
    last_box: Box
    best_score: float
    best_crop: tuple[np.ndarray, PixelBox] | None
    frames: int = 0


class ChannelAnalysis:
    """See the module docstring. ``detect`` takes an RGB frame; ``gate`` None detects always."""

    def __init__(
        self,
        detect: Detect,
        fps: float,
        *,
        gate: MotionGate | None = None,
        max_lag: float | None = 2.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._detect = detect
        self.interval = 1.0 / fps
        self._gate = gate
        self._max_lag = max_lag
        self._clock = clock
        config = TrackerConfig(frame_interval=self.interval, track_buffer=LOST_SECONDS * fps)
        self._tracker = ByteTracker(config)
        self._rules = ChannelRules([])
        self._due: float | None = None
        self._last: Sequence[Detection] = []
        self._open: dict[int, _Open] = {}
        self._size = FrameSize(1, 1)
        self.analysed = self.dropped = self.gated = 0

    def set_rules(self, rules: Sequence[Rule]) -> None:
        """Replace the rules (what the old ones remembered is forgotten; tracks go on)."""
        self._rules = ChannelRules(rules)

    def line_counts(self, rule_id: str) -> LineCounts:
        """The crossings the enabled line rule ``rule_id`` counted so far, each way."""
        return self._rules.line_counts(rule_id)

    def wants(self, stamp: float) -> bool:
        """Whether the frame at ``stamp`` is due (a quarter interval early counts: jitter)."""
        if self._due is not None and stamp + self.interval / 4 < self._due:
            return False
        due = stamp if self._due is None else self._due
        while due <= stamp + self.interval / 4:
            due += self.interval
        self._due = due
        return True

    def analyse(self, stamp: float, rgb: np.ndarray) -> list[Outcome]:
        """A due frame (H×W×3 RGB) at ``stamp`` (epoch seconds): what it caused."""
        if self._max_lag is not None and self._clock() - stamp > self._max_lag:
            self.dropped += 1
            return []
        height, width = rgb.shape[:2]
        self._size = FrameSize(width, height)
        if self._gate is not None and not self._gate.regions(rgb):
            self.gated += 1
        else:
            self._last = list(self._detect(rgb))
        self.analysed += 1
        update = self._tracker.update(stamp, self._last)
        out: list[Outcome] = []
        for started in update.started:
            box = normalised(started.best.box, width, height)
            self._open[started.track_id] = _Open(box, box, 0.0, None)
            out.append(
                TrackOpened(started.track_id, started.label, started.first, box, started.best.score)
            )
        for obj in update.tracks:
            kept = self._open.get(obj.track_id)
            if kept is None:
                continue
            kept.frames += 1
            kept.last_box = normalised(obj.box, width, height)
            if obj.detection.score > kept.best_score:
                kept.best_score = obj.detection.score
                kept.best_crop = framed(rgb, obj.detection.box)
        objects = [RuleObject(o.track_id, o.label, o.score, o.box) for o in update.tracks]
        scores = {o.track_id: o.score for o in update.tracks}
        for event in self._rules.feed(stamp, self._size, objects):
            score = scores.get(event.track_id) if event.track_id is not None else None
            box = normalised(event.box, width, height)
            out.append(RuleHit(event, box, score, snapshot(rgb, event.box)))
        out += [self._closed(ended) for ended in update.ended]
        return out

    def finish(self) -> list[Outcome]:
        """End every open track (the channel's analysis stops)."""
        return [self._closed(ended) for ended in self._tracker.finish()]

    def _closed(self, ended: TrackEnded) -> TrackClosed:
        width, height = self._size
        kept = self._open.pop(ended.track_id, None)
        if kept is None:  # never seen opened (cannot happen; be whole anyway)
            box = normalised(ended.best.box, width, height)
            kept = _Open(box, box, ended.best.score, None)
        picture, attributes = None, None
        if kept.best_crop is not None:
            pixels, inner = kept.best_crop
            picture, attributes = jpeg(pixels), describe(ended.label, pixels, inner)
        return TrackClosed(
            ended.track_id,
            ended.label,
            ended.first,
            ended.last,
            kept.first_box,
            kept.last_box,
            max(kept.best_score, ended.best.score),
            kept.frames,
            picture,
            attributes,
        )
