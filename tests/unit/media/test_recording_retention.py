"""Which segments retention picks to free space: the oldest, never a locked one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from vigil.media.recording.retention import RetentionPolicy, choose_for_space
from vigil.store.models import RecordingSegment

T = datetime(2025, 10, 1, tzinfo=UTC)


def segment(id: int, minute: int, size: int = 100, locked: bool = False) -> RecordingSegment:
    start = T + timedelta(minutes=minute)
    return RecordingSegment(
        id=id,
        channel_id="c",
        stream=0,
        start=start,
        end=start + timedelta(minutes=1),
        size=size,
        codec="h264",
        sha256="0" * 64,
        path=f"{id}.mp4",
        locked=locked,
    )


def test_oldest_first_until_enough_is_freed() -> None:
    candidates = [segment(3, 2), segment(1, 0), segment(2, 1), segment(4, 3)]
    assert [s.id for s in choose_for_space(candidates, 150)] == [1, 2]
    assert [s.id for s in choose_for_space(candidates, 100)] == [1]
    assert choose_for_space(candidates, 0) == []


def test_locked_segments_are_skipped_even_when_oldest() -> None:
    candidates = [
        segment(1, 0, locked=True),
        segment(2, 1),
        segment(3, 2, locked=True),
        segment(4, 3),
    ]
    assert [s.id for s in choose_for_space(candidates, 150)] == [2, 4]
    assert [s.id for s in choose_for_space(candidates, 10_000)] == [2, 4]


def test_policy_needs_ordered_marks() -> None:
    with pytest.raises(ValueError, match="low_water"):
        RetentionPolicy(high_water=0.8, low_water=0.9)
