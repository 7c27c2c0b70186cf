"""Properties over random walks: what no scene may ever make the rules do."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.analytics.rules.scenes import NOON_UTC, SIZE, SQUARE, person
from vigil.analytics.rules import (
    ChannelRules,
    Direction,
    IntrusionRule,
    LineCrossingRule,
    LoiteringRule,
    Point,
    Tripwire,
    Zone,
)

ZONE = Zone(SQUARE)  # x and y in 0.25..0.75
RULES = [
    IntrusionRule(id="i", name="I", classes=("person",), zone=ZONE),
    LoiteringRule(id="l", name="L", classes=("person",), zone=ZONE, dwell_s=1.0),
]
LINE = LineCrossingRule(
    id="x", name="X", classes=("person",), line=Tripwire((0.0, 0.5), (1.0, 0.5)),
    direction=Direction.both,
)  # fmt: skip

coordinate = st.floats(0.0, 1.0, allow_nan=False)
outside = st.one_of(
    st.tuples(st.floats(0.0, 0.24), coordinate),
    st.tuples(st.floats(0.76, 1.0), coordinate),
    st.tuples(coordinate, st.floats(0.0, 0.24)),
    st.tuples(coordinate, st.floats(0.76, 1.0)),
)
#: Several tracks, each a path of foot points (one per frame at 10 fps).
paths = st.lists(st.lists(outside, min_size=1, max_size=60), min_size=1, max_size=4)


def feed(engine: ChannelRules, walks: list[list[Point]]) -> int:
    """Play the tracks (track k follows walks[k]); the number of events raised."""
    raised = 0
    for frame in range(max(map(len, walks))):
        objects = [person(k, walk[frame]) for k, walk in enumerate(walks) if frame < len(walk)]
        raised += len(engine.feed(NOON_UTC + frame / 10, SIZE, objects))
    return raised


@settings(max_examples=60, deadline=None)
@given(paths)
def test_an_object_never_in_the_zone_never_raises(walks: list[list[Point]]) -> None:
    assert feed(ChannelRules(RULES), walks) == 0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.tuples(coordinate, coordinate), min_size=1, max_size=60),
                min_size=1, max_size=4))  # fmt: skip
def test_a_track_raises_an_intrusion_at_most_once(walks: list[list[Point]]) -> None:
    engine = ChannelRules(RULES[:1])
    assert feed(engine, walks) <= len(walks)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(coordinate, coordinate), min_size=1, max_size=80))
def test_line_counts_follow_the_side_a_track_ends_on(walk: list[Point]) -> None:
    # A line across the whole frame cannot be walked around: crossings alternate direction, so
    # the counts differ by at most one, and the difference says where the track went.
    engine = ChannelRules([LINE])
    feed(engine, [walk])
    counts = engine.line_counts("x")
    assert abs(counts.a_to_b - counts.b_to_a) <= 1
    sides = [LINE.line.side(p, SIZE, LINE.margin) for p in walk]
    clear = [s for s in sides if s is not None]
    if counts.a_to_b > counts.b_to_a:
        assert clear[-1].value == "B"
    if counts.b_to_a > counts.a_to_b:
        assert clear[-1].value == "A"
    if counts.a_to_b == counts.b_to_a and clear:
        assert clear[-1] is clear[0]  # back where it started, or never crossed


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(coordinate, coordinate), max_size=30))
def test_a_frames_points_at_once_are_the_points_one_by_one(points: list[Point]) -> None:
    assert ZONE.contains_each(points) == [ZONE.contains(p) for p in points]
