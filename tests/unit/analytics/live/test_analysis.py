"""One channel's analysis without processes or sockets: sampling, tracks opened and closed with
their crops, rule hits with snapshots, lag drops, and the motion gate.

The detector is scripted (a person box moving across the picture) so that where and when the rules
fire is known exactly; the real detector runs in the live pipeline's integration test.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import cv2
import numpy as np

from vigil.analytics.detect.boxes import Detection
from vigil.analytics.frames.motion import MotionGate
from vigil.analytics.live.analysis import ChannelAnalysis
from vigil.analytics.live.messages import Outcome, RuleHit, TrackClosed, TrackOpened
from vigil.analytics.rules import (
    Direction,
    IntrusionRule,
    LineCrossingRule,
    RuleKind,
    Tripwire,
    Zone,
)

WIDTH, HEIGHT = 640, 480
FPS = 5.0
T0 = 1_700_000_000.0
RIGHT_HALF = Zone(((0.5, 0.0), (1.0, 0.0), (1.0, 1.0), (0.5, 1.0)))
#: A vertical line in the middle: walking left to right ends on side B (drawn top to bottom,
#: side A is on the walker's left, which is the picture's right... see geometry's docstring).
MIDDLE = Tripwire((0.5, 0.0), (0.5, 1.0))


class Walker:
    """A scripted detector: one person walking right 30 px per frame for ``steps`` frames,
    then nobody; it counts its calls."""

    def __init__(self, steps: int) -> None:
        self.steps = steps
        self.calls = 0

    def __call__(self, frame: np.ndarray) -> Sequence[Detection]:
        step = self.calls
        self.calls += 1
        if step >= self.steps:
            return []
        x = 20.0 + 30.0 * step
        return [Detection("person", 0.9, (x, 200.0, x + 60.0, 380.0))]


def frame(shade: int = 40) -> np.ndarray:
    picture = np.full((HEIGHT, WIDTH, 3), shade, np.uint8)
    picture[200:380, 100:160] = (200, 120, 60)  # something for the crop to hold
    return picture


def decoded(data: bytes) -> np.ndarray:
    picture = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    assert picture is not None, "not a JPEG"
    return picture


def run(analysis: ChannelAnalysis, frames: int) -> list[Outcome]:
    out: list[Outcome] = []
    for k in range(frames):
        out += analysis.analyse(T0 + k / FPS, frame())
    return out


def test_a_walker_opens_a_track_fires_the_zone_once_and_closes_with_a_crop() -> None:
    analysis = ChannelAnalysis(Walker(steps=18), FPS, max_lag=None)
    analysis.set_rules(
        [IntrusionRule(id="yard", name="Yard", classes=("person",), zone=RIGHT_HALF)]
    )
    out = run(analysis, 18 + 5 * 4)  # walk, then 4 s of nobody (a lost track ends after 3 s)

    [opened] = [o for o in out if isinstance(o, TrackOpened)]
    assert opened.label == "person" and opened.first == T0  # confirmed later, first seen at T0
    [hit] = [o for o in out if isinstance(o, RuleHit)]
    assert hit.event.kind is RuleKind.intrusion and hit.event.track_id == opened.track_id
    # The foot point (box centre) passes x = 320 px (half the width) at step 10: 20+300+30.
    assert hit.event.at == T0 + 10 / FPS
    assert hit.box == tuple(
        round(v / s, 4) for v, s in zip(hit.event.box, (WIDTH, HEIGHT) * 2, strict=True)
    )
    picture = decoded(hit.snapshot)
    assert picture.shape == (HEIGHT, WIDTH, 3)
    x1 = round(hit.event.box[0])
    assert tuple(picture[290, x1]) > (0, 0, 150)  # the box's left edge is drawn in red (BGR)
    [closed] = [o for o in out if isinstance(o, TrackClosed)]
    assert closed.track_id == opened.track_id and closed.last == T0 + 17 / FPS
    assert closed.frames == 18 - 2  # seen in every frame from its confirmation (the third) on
    assert closed.first_box == (round(20 / WIDTH, 4), round(200 / HEIGHT, 4),
                                round(80 / WIDTH, 4), round(380 / HEIGHT, 4))  # fmt: skip
    assert closed.last_box[0] > 0.8 and closed.best_score == 0.9
    assert closed.crop is not None
    crop = decoded(closed.crop)
    assert 180 <= crop.shape[0] <= 220 and 60 <= crop.shape[1] <= 80


def test_a_line_fires_only_in_its_direction() -> None:
    def hits(direction: Direction) -> list[RuleHit]:
        analysis = ChannelAnalysis(Walker(steps=18), FPS, max_lag=None)
        line = LineCrossingRule(
            id="gate", name="Gate", classes=("person",), line=MIDDLE, direction=direction
        )
        analysis.set_rules([line])
        return [o for o in run(analysis, 18) if isinstance(o, RuleHit)]

    walked = hits(Direction.both)
    assert len(walked) == 1 and walked[0].event.kind is RuleKind.line_crossing
    taken = Direction.a_to_b if walked[0].event.reason.endswith("B") else Direction.b_to_a
    other = Direction.b_to_a if taken is Direction.a_to_b else Direction.a_to_b
    assert len(hits(taken)) == 1
    assert hits(other) == []


def test_frames_are_sampled_at_the_rate_with_jitter_allowed() -> None:
    analysis = ChannelAnalysis(Walker(steps=0), FPS, max_lag=None)
    stamps = [T0 + k * 0.1 + (0.01 if k % 3 else -0.01) for k in range(20)]  # 10 fps, jittered
    taken = [s for s in stamps if analysis.wants(s)]
    assert len(taken) == 10
    assert all(0.15 < b - a < 0.25 for a, b in itertools.pairwise(taken))


def test_a_frame_older_than_the_lag_is_dropped_and_counted() -> None:
    walker = Walker(steps=5)
    analysis = ChannelAnalysis(walker, FPS, max_lag=2.0, clock=lambda: T0 + 10.0)
    assert analysis.analyse(T0, frame()) == []
    assert analysis.analyse(T0 + 9.0, frame()) == []  # analysed, nothing confirmed yet
    assert (analysis.dropped, analysis.analysed, walker.calls) == (1, 1, 1)


def test_without_motion_the_detector_rests_and_the_track_stays() -> None:
    walker = Walker(steps=1000)
    analysis = ChannelAnalysis(walker, FPS, gate=MotionGate(), max_lag=None)
    out: list[Outcome] = []
    for k in range(30):  # 6 s of the same picture: longer than a lost track is kept
        out += analysis.analyse(T0 + k / FPS, frame())
    assert walker.calls == 1 and analysis.gated == 29
    assert len([o for o in out if isinstance(o, TrackOpened)]) == 1
    assert not [o for o in out if isinstance(o, TrackClosed)]
    [closed] = analysis.finish()
    assert isinstance(closed, TrackClosed) and closed.frames == 28


def test_a_closed_track_carries_the_attributes_read_from_its_crop() -> None:
    """A person in a red top and blue trousers and a white car stand on grass; when their tracks
    end, each TrackClosed carries what its best crop shows (the grass is the crop's margin)."""
    picture = np.full((HEIGHT, WIDTH, 3), (70, 120, 50), np.uint8)
    picture[100:196, 100:160] = (190, 30, 35)
    picture[196:280, 100:160] = (30, 70, 170)
    picture[300:400, 300:460] = (235, 235, 232)
    people_and_cars = [
        Detection("person", 0.9, (100.0, 100.0, 160.0, 280.0)),
        Detection("car", 0.8, (300.0, 300.0, 460.0, 400.0)),
    ]
    analysis = ChannelAnalysis(lambda _: people_and_cars, FPS, max_lag=None)
    for k in range(5):
        analysis.analyse(T0 + k / FPS, picture)
    closed = {c.label: c for c in analysis.finish() if isinstance(c, TrackClosed)}
    assert closed["person"].attributes == {"upper": "red", "lower": "blue"}
    assert closed["car"].attributes == {"type": "car", "colour": "white"}
    assert closed["car"].crop is not None
