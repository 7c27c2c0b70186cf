"""Scenes for the rule tests: people (boxes by their foot point) walking on a 768×576 frame."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from vigil.analytics.rules import ChannelRules, FrameSize, Point, RuleEvent, TrackedObject

SIZE = FrameSize(768, 576)
FPS = 10
#: Monday 2026-12-07 12:00 UTC (20:00 in Asia/Shanghai).
NOON_UTC = 1_796_644_800.0

#: The zone of the tests: the middle of the picture, normalised.
SQUARE = ((0.25, 0.25), (0.75, 0.25), (0.75, 0.75), (0.25, 0.75))


def person(track_id: int, foot: Point, *, label: str = "person", score: float = 0.8,
           width: float = 40, height: float = 100) -> TrackedObject:  # fmt: skip
    """An object whose foot point is ``foot`` (normalised), its box in pixels of :data:`SIZE`."""
    x, y = foot[0] * SIZE.width, foot[1] * SIZE.height
    return TrackedObject(track_id, label, score, (x - width / 2, y - height, x + width / 2, y))


def walk(start: Point, end: Point, seconds: float) -> list[Point]:
    """Foot points from ``start`` to ``end`` at :data:`FPS`, both ends included."""
    steps = max(1, round(seconds * FPS))
    return [
        (start[0] + (end[0] - start[0]) * k / steps, start[1] + (end[1] - start[1]) * k / steps)
        for k in range(steps + 1)
    ]


def frames(
    *tracks: Sequence[TrackedObject | None], t0: float = NOON_UTC
) -> Iterator[tuple[float, list[TrackedObject]]]:
    """Frames at :data:`FPS` from ``t0``: frame k holds the k-th object of each track that has one
    (None: the track is missed in that frame)."""
    for k in range(max(len(track) for track in tracks)):
        objects = [track[k] for track in tracks if k < len(track) and track[k] is not None]
        yield t0 + k / FPS, [obj for obj in objects if obj is not None]


def track(track_id: int, points: Sequence[Point | None], *, label: str = "person",
          score: float = 0.8, width: float = 40, height: float = 100,
          ) -> list[TrackedObject | None]:  # fmt: skip
    """One track following ``points`` (None: missed in that frame)."""
    return [None if p is None else person(track_id, p, label=label, score=score, width=width,
                                          height=height) for p in points]  # fmt: skip


def play(
    engine: ChannelRules, scene: Iterator[tuple[float, list[TrackedObject]]]
) -> list[RuleEvent]:
    """Feed every frame; all the events raised."""
    events: list[RuleEvent] = []
    for at, objects in scene:
        events += engine.feed(at, SIZE, objects)
    return events
