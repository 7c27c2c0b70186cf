"""Loitering (a track staying in the zone T seconds) and crowding (more than N in the zone for S
seconds, with hysteresis and a cool-down)."""

from __future__ import annotations

from dataclasses import replace

from tests.unit.analytics.rules.scenes import (
    FPS,
    NOON_UTC,
    SIZE,
    SQUARE,
    frames,
    person,
    play,
    track,
    walk,
)
from vigil.analytics.rules import ChannelRules, CrowdingRule, LoiteringRule, Point, RuleKind, Zone

LOITER = LoiteringRule(id="door", name="Door", classes=("person",), zone=Zone(SQUARE), dwell_s=30.0)
CROWD = CrowdingRule(
    id="hall", name="Hall", classes=("person",), zone=Zone(SQUARE), max_count=3, hold_s=5.0
)


def stay(point: Point, seconds: float) -> list[Point | None]:
    return [point] * round(seconds * FPS)


def test_loitering_fires_once_after_the_dwell() -> None:
    minutes = stay((0.5, 0.5), 120)  # two minutes in the zone
    events = play(ChannelRules([LOITER]), frames(track(4, minutes)))
    assert [(e.kind, e.track_id, e.at) for e in events] == [
        (RuleKind.loitering, 4, NOON_UTC + 30.0)
    ]
    assert "30 s" in events[0].reason


def test_passing_through_is_not_loitering() -> None:
    across = walk((0.1, 0.5), (0.9, 0.5), 8.0)
    assert play(ChannelRules([LOITER]), frames(track(4, across))) == []


def test_leaving_the_zone_restarts_the_dwell_but_a_missed_frame_does_not() -> None:
    outside = (0.1, 0.1)
    leaving = [*stay((0.5, 0.5), 20), outside, *stay((0.5, 0.5), 20)]
    assert play(ChannelRules([LOITER]), frames(track(4, leaving))) == []
    missed: list[Point | None] = [*stay((0.5, 0.5), 20), None, None, *stay((0.5, 0.5), 20)]
    (event,) = play(ChannelRules([LOITER]), frames(track(4, missed)))
    assert event.at == NOON_UTC + 30.0


def test_loitering_respects_the_cool_down() -> None:
    rule = replace(LOITER, cooldown_s=60.0)
    two = frames(track(1, stay((0.4, 0.4), 50)), track(2, stay((0.6, 0.6), 50)))
    assert len(play(ChannelRules([rule]), two)) == 1
    two = frames(track(1, stay((0.4, 0.4), 50)), track(2, stay((0.6, 0.6), 50)))
    assert len(play(ChannelRules([LOITER]), two)) == 2


def occupancy(*phases: tuple[int, float]) -> list[float]:
    """Seconds from the start at which crowding fired, for a zone holding ``count`` people for
    ``seconds``, phase after phase (person k stands at its own spot, track id k)."""
    engine = ChannelRules([replace(CROWD, cooldown_s=20.0)])
    fired: list[float] = []
    counts = [count for count, seconds in phases for _ in range(round(seconds * FPS))]
    for frame, count in enumerate(counts):
        people = [person(k, (0.3 + 0.04 * k, 0.5)) for k in range(count)]
        at = NOON_UTC + frame / FPS
        fired += [round(event.at - NOON_UTC, 1) for event in engine.feed(at, SIZE, people)]
    return fired


def test_crowding_fires_once_the_count_has_exceeded_n_for_s_seconds() -> None:
    assert occupancy((3, 60)) == []  # 3 is not more than 3
    assert occupancy((4, 4.9)) == []  # not held long enough
    assert occupancy((2, 10), (4, 60)) == [15.0]


def test_crowding_fires_again_only_after_falling_below_n() -> None:
    # 4 → 3 (not below N) → 4: one event; 4 → 2 (below) → 4: a second, after its own hold.
    assert occupancy((4, 10), (3, 30), (4, 30)) == [5.0]
    assert occupancy((4, 10), (2, 30), (4, 30)) == [5.0, 45.0]


def test_crowding_waits_for_the_cool_down() -> None:
    # Fired at 5 s; below N at 10 s; over again from 12 s, held by 17 s; cool-down ends at 25 s.
    assert occupancy((4, 10), (1, 2), (5, 30)) == [5.0, 25.0]


def test_a_crowding_event_names_the_crowd() -> None:
    people = [person(k, (0.3 + 0.1 * k, 0.5)) for k in range(4)]
    engine = ChannelRules([replace(CROWD, hold_s=0.0)])
    (event,) = engine.feed(NOON_UTC, SIZE, people)
    assert (event.kind, event.track_id, event.label, event.count) == (
        RuleKind.crowding, None, "person", 4)  # fmt: skip
    assert event.box == (people[0].box[0], people[0].box[1], people[3].box[2], people[3].box[3])


def test_people_outside_the_zone_do_not_make_a_crowd() -> None:
    outside = [person(k, (0.1, 0.1 + 0.05 * k)) for k in range(10)]
    engine = ChannelRules([replace(CROWD, hold_s=0.0)])
    assert engine.feed(NOON_UTC, SIZE, outside) == []
