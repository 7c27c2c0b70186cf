"""Intrusion: an object of the rule's classes in its zone while armed, once per track."""

from __future__ import annotations

from dataclasses import replace
from datetime import time

from tests.unit.analytics.rules.scenes import (
    NOON_UTC,
    SIZE,
    SQUARE,
    frames,
    person,
    play,
    track,
    walk,
)
from vigil.analytics.rules import (
    ChannelRules,
    FrameSize,
    IntrusionRule,
    RuleKind,
    SizeUnit,
    TimeWindow,
    TrackedObject,
    WeeklySchedule,
    Zone,
)

RULE = IntrusionRule(id="yard", name="Yard", classes=("person",), zone=Zone(SQUARE))
ACROSS = walk((0.1, 0.5), (0.9, 0.5), 8.0)  # left to right through the middle of the zone
ALONG_OUTSIDE = walk((0.1, 0.9), (0.9, 0.9), 8.0)  # below the zone, the whole width


def test_a_person_walking_through_the_zone_raises_exactly_one_intrusion() -> None:
    events = play(ChannelRules([RULE]), frames(track(7, ACROSS)))
    assert len(events) == 1
    (event,) = events
    assert (event.rule_id, event.kind, event.track_id, event.label) == ("yard", "intrusion", 7,
                                                                        "person")  # fmt: skip
    # Raised on the first frame whose foot point is in the zone: x reaches 0.25 after 1.5 s.
    assert event.at == NOON_UTC + 1.5
    assert event.box == person(7, (0.25, 0.5)).box
    assert "person" in event.reason and "Yard" in event.reason
    assert event.kind is RuleKind.intrusion


def test_walking_along_outside_the_zone_raises_none() -> None:
    assert play(ChannelRules([RULE]), frames(track(7, ALONG_OUTSIDE))) == []


def test_the_foot_point_decides_not_the_box() -> None:
    # Walking just below the zone with a tall box: the head and body are over the zone.
    below = walk((0.1, 0.8), (0.9, 0.8), 8.0)
    assert play(ChannelRules([RULE]), frames(track(7, below, height=300))) == []


def test_each_track_raises_once_and_two_tracks_raise_twice() -> None:
    back_and_forth = ACROSS + ACROSS[::-1] + ACROSS
    events = play(ChannelRules([RULE]), frames(track(1, back_and_forth), track(2, ACROSS[::-1])))
    assert sorted(e.track_id for e in events if e.track_id is not None) == [1, 2]


def test_a_schedule_outside_its_window_raises_none() -> None:
    # Noon UTC is 20:00 in Shanghai; armed 08:00–18:00 on weekdays there.
    office = WeeklySchedule("Asia/Shanghai", (TimeWindow((0, 1, 2, 3, 4), time(8), time(18)),))
    assert play(ChannelRules([replace(RULE, schedule=office)]), frames(track(7, ACROSS))) == []
    # The same walk four hours earlier (16:00 there) is inside the window.
    early = frames(track(7, ACROSS), t0=NOON_UTC - 4 * 3600)
    assert len(play(ChannelRules([replace(RULE, schedule=office)]), early)) == 1


def test_a_person_already_in_the_zone_when_the_schedule_arms_raises_then() -> None:
    # Armed from 12:01 UTC on Mondays; a person stands in the zone from 12:00:30 for a minute.
    night = WeeklySchedule("UTC", (TimeWindow((0,), time(12, 1), time(13)),))
    standing = track(7, [(0.5, 0.5)] * 600)
    events = play(ChannelRules([replace(RULE, schedule=night)]), frames(standing, t0=NOON_UTC + 30))
    assert [e.at for e in events] == [NOON_UTC + 60]


def test_the_cool_down_suppresses_a_second_event() -> None:
    later = [None] * 20 + ACROSS  # a second person two seconds behind the first
    rule = replace(RULE, cooldown_s=10.0)
    assert len(play(ChannelRules([rule]), frames(track(1, ACROSS), track(2, later)))) == 1
    # Without the cool-down, both raise.
    assert len(play(ChannelRules([RULE]), frames(track(1, ACROSS), track(2, later)))) == 2
    # A third person after the cool-down raises again.
    much_later = [None] * 150 + ACROSS
    scene = frames(track(1, ACROSS), track(2, later), track(3, much_later))
    assert [e.track_id for e in play(ChannelRules([rule]), scene)] == [1, 3]


def test_other_classes_low_scores_and_small_boxes_are_ignored() -> None:
    assert play(ChannelRules([RULE]), frames(track(1, ACROSS, label="car"))) == []
    strict = replace(RULE, min_score=0.5)
    assert play(ChannelRules([strict]), frames(track(1, ACROSS, score=0.4))) == []
    assert len(play(ChannelRules([strict]), frames(track(1, ACROSS, score=0.5)))) == 1
    # 40×100 px = 4,000 px²: below a 5,000 px² floor, above a 3,000 one.
    assert play(ChannelRules([replace(RULE, min_size=5000)]), frames(track(1, ACROSS))) == []
    assert len(play(ChannelRules([replace(RULE, min_size=3000)]), frames(track(1, ACROSS)))) == 1
    # As a fraction of the frame: 4,000 / (768 × 576) ≈ 0.009.
    big = replace(RULE, min_size=0.01, size_unit=SizeUnit.frame)
    small = replace(RULE, min_size=0.005, size_unit=SizeUnit.frame)
    assert play(ChannelRules([big]), frames(track(1, ACROSS))) == []
    assert len(play(ChannelRules([small]), frames(track(1, ACROSS)))) == 1


def test_a_fraction_of_the_frame_survives_a_change_of_resolution() -> None:
    rule = replace(RULE, min_size=0.005, size_unit=SizeUnit.frame)
    engine = ChannelRules([rule])
    doubled = FrameSize(SIZE.width * 2, SIZE.height * 2)
    # The same person at twice the resolution: a box of 80×200 px, the same share of the frame.
    big = TrackedObject(1, "person", 0.8, (768 - 40, 576 - 200, 768 + 40, 576))
    assert big.foot(doubled) == (0.5, 0.5)
    assert len(engine.feed(NOON_UTC, doubled, [big])) == 1


def test_a_disabled_rule_raises_none() -> None:
    engine = ChannelRules([replace(RULE, enabled=False)])
    assert engine.rules == []
    assert play(engine, frames(track(7, ACROSS))) == []
