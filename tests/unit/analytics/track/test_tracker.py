"""The ByteTrack-style tracker on synthetic scenes: stable IDs, its two stages, start and end."""

from __future__ import annotations

import pytest

from tests.unit.analytics.track.scenes import Walker, play
from vigil.analytics.detect.boxes import Detection
from vigil.analytics.track import ByteTracker, TrackerConfig
from vigil.analytics.track.evaluate import clear_mot, identified


def test_one_walker_starts_at_its_third_hit_and_ends_after_the_buffer() -> None:
    walker = Walker(
        1,
        "person",
        (100, 100, 140, 200),
        (6, 2),
        seen=lambda f: f < 20,
        score=lambda f: 0.95 if f == 7 else 0.8,
    )
    run = play(ByteTracker(), [walker], 60)
    # Confirmed at its third hit (frame 2); last seen at 19, so lost from 20 and ended when more
    # than 30 frames have passed: 50 − 19 = 31.
    assert run.events() == [(2, "start", 1), (50, "end", 1)]
    assert [run.track_of(f, 1) for f in range(20)] == [None, None] + [1] * 18
    assert all(not update.tracks for update in run.updates[20:])
    (started,) = run.updates[2].started
    assert (started.label, started.first, started.last) == ("person", 0, 2)
    (ended,) = run.updates[50].ended
    assert (ended.first, ended.last, ended.best) == (0, 19, walker.detection(7))
    # The filtered box follows the walker.
    assert run.updates[19].tracks[0].box == pytest.approx(walker.box(19), abs=1.0)


def test_two_people_crossing_keep_their_ids() -> None:
    right = Walker(1, "person", (0, 100, 40, 200), (8, 0))
    left = Walker(2, "person", (300, 110, 340, 210), (-8, 0))  # they overlap around frame 19
    run = play(ByteTracker(), [right, left], 40)
    assert {run.track_of(f, 1) for f in range(2, 40)} == {1}
    assert {run.track_of(f, 2) for f in range(2, 40)} == {2}
    scores = clear_mot(run.truth, [identified(u) for u in run.updates])
    # Missed only while tentative: 2 objects × frames 0 and 1.
    assert (scores.id_switches, scores.misses, scores.false_positives) == (0, 4, 0)


def test_an_occlusion_shorter_than_the_buffer_keeps_the_id() -> None:
    walker = Walker(1, "person", (100, 100, 140, 200), (5, 0), seen=lambda f: not 15 <= f < 20)
    run = play(ByteTracker(), [walker], 40)
    assert run.events() == [(2, "start", 1)]
    assert [run.track_of(f, 1) for f in range(15, 20)] == [None] * 5
    assert {run.track_of(f, 1) for f in [*range(2, 15), *range(20, 40)]} == {1}


def test_an_occlusion_longer_than_the_buffer_ends_the_track_and_starts_a_new_one() -> None:
    walker = Walker(1, "person", (100, 100, 140, 200), (5, 0), seen=lambda f: not 15 <= f < 25)
    run = play(ByteTracker(TrackerConfig(track_buffer=5)), [walker], 40)
    # Last seen at 14, ended at 20 (20 − 14 > 5); back at 25, confirmed again at 27.
    assert run.events() == [(2, "start", 1), (20, "end", 1), (27, "start", 2)]


def test_low_score_detections_keep_a_track_through_the_second_stage() -> None:
    # Scores drop to 0.3 (under the 0.5 of the first stage) for frames 10 to 17.
    walker = Walker(
        1, "person", (100, 100, 140, 200), (4, 0), score=lambda f: 0.3 if 10 <= f < 18 else 0.9
    )
    config = TrackerConfig(track_buffer=5)
    run = play(ByteTracker(config), [walker], 30)
    assert run.events() == [(2, "start", 1)]
    assert {run.track_of(f, 1) for f in range(2, 30)} == {1}
    # Without the second stage (low-score detections dropped), the track is lost at 10 and
    # ends at 15; the walker's next track starts at 18 and is confirmed at 20.
    without = play(ByteTracker(TrackerConfig(low_score=0.5, track_buffer=5)), [walker], 30)
    assert without.events() == [(2, "start", 1), (15, "end", 1), (20, "start", 2)]


def test_low_score_detections_alone_never_start_a_track() -> None:
    ghost = Walker(1, "person", (100, 100, 140, 200), score=lambda f: 0.45)
    run = play(ByteTracker(), [ghost], 10)
    assert run.events() == [] and all(not u.tracks for u in run.updates)


def test_a_person_and_a_car_side_by_side_keep_their_own_tracks() -> None:
    car = Walker(1, "car", (100, 100, 300, 200), (2, 0))
    person = Walker(2, "person", (150, 90, 200, 210), (2, 0))  # standing in front of the car
    run = play(ByteTracker(), [car, person], 20)
    car_ids = {run.track_of(f, 1) for f in range(2, 20)}
    person_ids = {run.track_of(f, 2) for f in range(2, 20)}
    assert len(car_ids) == len(person_ids) == 1 and car_ids != person_ids
    assert all(t.label == t.detection.label for u in run.updates for t in u.tracks)


def test_a_car_never_continues_a_persons_track() -> None:
    box = (150, 90, 200, 210)
    person = Walker(1, "person", box, seen=lambda f: f < 10)
    car = Walker(2, "car", box, seen=lambda f: f >= 10)  # the same box, another class
    run = play(ByteTracker(), [person, car], 20)
    assert run.events() == [(2, "start", 1), (12, "start", 2)]
    assert {run.track_of(f, 2) for f in range(12, 20)} == {2}
    (started,) = run.updates[12].started
    assert started.label == "car"


def test_a_car_seen_as_a_truck_continues_its_track() -> None:
    car = Walker(1, "car", (100, 100, 300, 200), (3, 0), seen=lambda f: f < 10)
    truck = Walker(1, "truck", (100, 100, 300, 200), (3, 0), lambda f: f >= 10, lambda f: 0.95)
    run = play(ByteTracker(), [car, truck], 20)
    assert run.events() == [(2, "start", 1)]
    assert {run.track_of(f, 1) for f in range(2, 20)} == {1}
    assert run.updates[19].tracks[0].label == "truck"  # its best detection's label


def test_a_tentative_track_is_dropped_at_its_first_miss() -> None:
    walker = Walker(1, "person", (100, 100, 140, 200), (3, 0), seen=lambda f: f != 2)
    run = play(ByteTracker(), [walker], 8)
    assert run.events() == [(5, "start", 1)]
    (started,) = run.updates[5].started
    assert started.first == 3


def test_one_hit_confirms_when_min_hits_is_one() -> None:
    run = play(ByteTracker(TrackerConfig(min_hits=1)), [Walker(1, "dog", (0, 0, 9, 9))], 3)
    assert run.events() == [(0, "start", 1)]
    assert [run.track_of(f, 1) for f in range(3)] == [1, 1, 1]


def test_times_in_seconds_with_skipped_frames_predict_and_end_by_frames() -> None:
    # 4 fps; a narrow walker (20 px) moving 5 px per frame. Frames 10 to 14 are skipped: 30 px
    # between frames 9 and 15, so a prediction of one frame would not even overlap.
    walker = Walker(1, "person", (100, 100, 120, 160), (5, 0))
    tracker = ByteTracker(TrackerConfig(frame_interval=0.25, track_buffer=4))
    ids = set()
    for frame in [*range(10), *range(15, 25)]:
        update = tracker.update(frame * 0.25, [walker.detection(frame)])
        ids |= {t.track_id for t in update.tracks}
        assert not update.ended
    assert ids == {1}
    assert update.tracks[0].box == pytest.approx(walker.box(24), abs=1.5)
    # Last seen at 6.0 s; 4 frames are 1.0 s: kept at 7.0 s, ended at 7.25 s.
    assert tracker.update(7.0, []).ended == ()
    (ended,) = tracker.update(7.25, []).ended
    assert (ended.track_id, ended.first, ended.last) == (1, 0.0, 6.0)


def test_finish_ends_the_confirmed_tracks_and_drops_the_tentative_ones() -> None:
    tracker = ByteTracker()
    for frame in range(5):
        tracker.update(frame, [Detection("person", 0.9, (10, 10, 50, 90))])
    update = tracker.update(5, [Detection("person", 0.9, (300, 10, 340, 90))])
    assert update.events == () and update.tracks == ()  # track 1 lost, a tentative one born
    (ended,) = tracker.finish()
    assert (ended.track_id, ended.first, ended.last) == (1, 0, 4)
    assert tracker.update(6, [Detection("person", 0.9, (300, 10, 340, 90))]).tracks == ()


def test_times_must_increase() -> None:
    tracker = ByteTracker()
    tracker.update(3, [])
    with pytest.raises(ValueError, match="not after"):
        tracker.update(3, [])


@pytest.mark.parametrize(
    "wrong", [{"low_score": 0.6}, {"min_hits": 0}, {"frame_interval": 0.0}, {"track_buffer": -1}]
)
def test_inconsistent_settings_are_refused(wrong: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        TrackerConfig(**wrong)  # type: ignore[arg-type]
