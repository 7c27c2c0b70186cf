"""Line crossing: per-direction counts, events only in the rule's direction, jitter counted once."""

from __future__ import annotations

import math
from dataclasses import replace

from tests.unit.analytics.rules.scenes import SIZE, frames, play, track, walk
from vigil.analytics.rules import (
    ChannelRules,
    Direction,
    LineCounts,
    LineCrossingRule,
    Point,
    RuleKind,
    Side,
    Tripwire,
)

# Drawn left to right across the middle: side A is above it, side B below.
LINE = Tripwire((0.2, 0.5), (0.8, 0.5))
RULE = LineCrossingRule(
    id="gate", name="Gate", classes=("person",), line=LINE, direction=Direction.a_to_b
)
DOWN = walk((0.5, 0.2), (0.5, 0.8), 6.0)  # from A (above) to B (below)
UP = DOWN[::-1]


def test_the_sides_are_named_from_the_drawing() -> None:
    assert LINE.side((0.5, 0.2), SIZE, 0.02) is Side.A
    assert LINE.side((0.5, 0.8), SIZE, 0.02) is Side.B
    assert LINE.side((0.5, 0.505), SIZE, 0.02) is None  # within the margin
    reversed_line = Tripwire((0.8, 0.5), (0.2, 0.5))
    assert reversed_line.side((0.5, 0.2), SIZE, 0.02) is Side.B


def test_crossing_in_the_allowed_direction_raises_and_counts() -> None:
    engine = ChannelRules([RULE])
    (event,) = play(engine, frames(track(3, DOWN)))
    assert (event.kind, event.track_id, event.count) == (RuleKind.line_crossing, 3, 1)
    assert "from side A to B" in event.reason
    assert engine.line_counts("gate") == LineCounts(a_to_b=1, b_to_a=0)


def test_crossing_the_wrong_way_raises_none_but_is_counted() -> None:
    engine = ChannelRules([RULE])
    assert play(engine, frames(track(3, UP))) == []
    assert engine.line_counts("gate") == LineCounts(a_to_b=0, b_to_a=1)


def test_both_directions_raise_when_the_rule_says_both() -> None:
    engine = ChannelRules([replace(RULE, direction=Direction.both)])
    events = play(engine, frames(track(3, DOWN + UP)))
    assert [e.reason[-6:] for e in events] == ["A to B", "B to A"]
    assert engine.line_counts("gate") == LineCounts(1, 1)
    engine = ChannelRules([replace(RULE, direction=Direction.b_to_a)])
    assert [e.count for e in play(engine, frames(track(3, DOWN + UP)))] == [1]


def test_jitter_across_the_line_counts_once() -> None:
    # Walk down to the line, shake across it for three seconds (±4 px, the margin is 11.5 px),
    # then carry on down.
    to_line = walk((0.5, 0.2), (0.5, 0.5), 3.0)
    shaking: list[Point | None] = [
        (0.5 + 0.003 * math.sin(k), 0.5 + (4 / 576) * (-1) ** k) for k in range(30)
    ]
    on_down = walk((0.5, 0.5), (0.5, 0.8), 3.0)
    engine = ChannelRules([replace(RULE, direction=Direction.both)])
    events = play(engine, frames(track(3, [*to_line, *shaking, *on_down])))
    assert len(events) == 1
    assert engine.line_counts("gate") == LineCounts(1, 0)


def test_jitter_without_a_margin_would_count_each_shake() -> None:
    # The margin is what makes the test above pass: at 0 every shake across the line counts.
    shaking: list[Point | None] = [(0.5, 0.5 + 0.01 * (-1) ** k) for k in range(10)]
    engine = ChannelRules([replace(RULE, direction=Direction.both, margin=0.0)])
    assert len(play(engine, frames(track(3, shaking)))) == 9


def test_passing_beyond_the_end_of_the_line_is_no_crossing() -> None:
    beside = walk((0.9, 0.2), (0.9, 0.8), 6.0)  # x = 0.9: past the line's end at 0.8
    engine = ChannelRules([replace(RULE, direction=Direction.both)])
    assert play(engine, frames(track(3, beside))) == []
    assert engine.line_counts("gate") == LineCounts()


def test_a_diagonal_crossing_between_frames_counts() -> None:
    # Two frames only, far apart on each side: the segment between them passes through the line.
    engine = ChannelRules([RULE])
    assert len(play(engine, frames(track(3, [(0.3, 0.3), (0.7, 0.7)])))) == 1


def test_the_cool_down_suppresses_events_not_counts() -> None:
    engine = ChannelRules([replace(RULE, cooldown_s=30.0)])
    events = play(engine, frames(track(1, DOWN), track(2, DOWN), track(3, DOWN)))
    assert [e.track_id for e in events] == [1]
    assert engine.line_counts("gate") == LineCounts(3, 0)
