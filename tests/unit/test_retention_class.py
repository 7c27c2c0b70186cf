"""Retention classes: the days per class within the legal bounds (refused at settings
validation otherwise), the minimum the age rule never goes under, and when a lock holds."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from vigil.config_control import ControlSettings
from vigil.media.recording.retention import RetentionPolicy, choose_for_space, lock_holds
from vigil.retention_class import DEFAULT_DAYS, RetentionClass, check_class_days, keep_for
from vigil.store.models import RecordingSegment

T = datetime(2026, 10, 1, tzinfo=UTC)
DAY = timedelta(days=1)


def segment(id: int, locked: bool, expires: datetime | None = None) -> RecordingSegment:
    return RecordingSegment(
        id=id,
        channel_id="c",
        stream=0,
        start=T + timedelta(minutes=id),
        end=T + timedelta(minutes=id + 1),
        size=100,
        codec="h264",
        sha256="0" * 64,
        path=f"{id}.mp4",
        locked=locked,
        lock_expires_at=expires,
    )


def test_defaults_cover_every_class_within_bounds() -> None:
    settings = ControlSettings.model_validate({})
    assert set(settings.retention_days_by_class) == {c.value for c in RetentionClass}
    assert settings.retention_days_by_class == DEFAULT_DAYS
    assert (settings.retention_min_days, settings.retention_max_days) == (30, 90)


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (
            {"traffic": 7},
            "retention class 'traffic' keeps 7 days, outside the legal bounds [30, 90]",
        ),
        ({"standard": 91}, "retention class 'standard' keeps 91 days, outside"),
        ({"parking": 30}, "unknown retention class 'parking'"),
    ],
)
def test_settings_refuse_days_outside_bounds(days: dict[str, int], message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        ControlSettings.model_validate({"retention_days_by_class": days})


def test_settings_bounds_move_and_must_be_ordered() -> None:
    wider = ControlSettings.model_validate(
        {"retention_days_by_class": {"key_area": 180}, "retention_max_days": 180}
    )
    assert wider.retention_days_by_class == {"key_area": 180}
    with pytest.raises(ValidationError, match="retention_min_days"):
        ControlSettings.model_validate(
            {"retention_days_by_class": {}, "retention_min_days": 60, "retention_max_days": 40}
        )


def test_check_class_days_accepts_the_edges() -> None:
    check_class_days({"standard": 30, "sensitive": 90}, 30, 90)


def test_keep_for_never_under_minimum() -> None:
    days = {"standard": 30, "traffic": 7}
    assert keep_for("standard", days, 30 * DAY, None) == 30 * DAY
    assert keep_for("traffic", days, 30 * DAY, None) == 30 * DAY  # clamped up
    assert keep_for("key_area", days, 30 * DAY, 45 * DAY) == 45 * DAY  # the default
    assert keep_for("key_area", days, 30 * DAY, None) is None  # age deletes nothing
    policy = RetentionPolicy(max_age=None, days_by_class={"sensitive": 60}, min_age=30 * DAY)
    assert policy.keep_for("sensitive") == 60 * DAY
    assert policy.keep_for("standard") is None


def test_lock_holds_until_its_expiry() -> None:
    assert not lock_holds(segment(1, locked=False), T)
    assert lock_holds(segment(1, locked=True), T)  # no expiry: until unlocked
    expiring = segment(1, locked=True, expires=T + DAY)
    assert lock_holds(expiring, T)
    assert not lock_holds(expiring, T + DAY)
    assert lock_holds(expiring, None)  # with no time given, every lock holds


def test_space_is_taken_from_expired_locks_not_holding_ones() -> None:
    held = segment(1, locked=True, expires=T + 2 * DAY)
    lapsed = segment(2, locked=True, expires=T)
    free = segment(3, locked=False)
    chosen = choose_for_space([held, lapsed, free], 150, now=T + DAY)
    assert [s.id for s in chosen] == [2, 3]
