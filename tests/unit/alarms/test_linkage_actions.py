"""The linkage actions that act through other parts: how they parse and refuse bad values, and
how an analytics or availability alarm maps onto a GB/T 28181 Alarm for ``forward_upper``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from vigil.alarms.linkage.actions import ForwardUpper, PtzPreset, Record, Wall, parse_action
from vigil.alarms.linkage.upward import upward_alarm
from vigil.errors import Invalid
from vigil.store.models import Alarm

AT = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
CHANNEL = "34010000001320000001"


def test_the_new_actions_parse() -> None:
    assert parse_action({"type": "forward_upper"}) == ForwardUpper()
    assert parse_action({"type": "ptz_preset", "preset": 3}) == PtzPreset(preset=3)
    assert parse_action({"type": "ptz_preset", "preset": 255, "channel_id": CHANNEL}) == (
        PtzPreset(preset=255, channel_id=CHANNEL)
    )
    assert parse_action({"type": "record", "seconds": 10}) == Record(seconds=10)
    assert parse_action({"type": "wall"}) == Wall()
    assert parse_action({"type": "wall", "wall": "值班大屏"}) == Wall(wall="值班大屏")


@pytest.mark.parametrize(
    "raw",
    [
        {"type": "ptz_preset"},
        {"type": "ptz_preset", "preset": 0},
        {"type": "ptz_preset", "preset": 256},
        {"type": "ptz_preset", "preset": True},
        {"type": "ptz_preset", "preset": "3"},
        {"type": "ptz_preset", "preset": 3, "channel_id": "123"},
        {
            "type": "ptz_preset",
            "preset": 3,
            "channel_id": "３４０１００００００１３２０００００００１",
        },
        {"type": "record"},
        {"type": "record", "seconds": 9},
        {"type": "record", "seconds": 3601},
        {"type": "record", "seconds": 30.5},
        {"type": "wall", "wall": ""},
        {"type": "wall", "wall": "x" * 65},
        {"type": "wall", "wall": "a\nb"},
        {"type": "wall", "wall": 7},
        {"type": "forward_upper", "to": "all"},
    ],
)
def test_bad_values_are_refused_with_the_action_code(raw: dict[str, Any]) -> None:
    with pytest.raises(Invalid) as caught:
        parse_action(raw)
    assert caught.value.code == "alarms.linkage.action"


def _alarm(source: str, kind: str, channel: str | None = CHANNEL) -> Alarm:
    return Alarm(source=source, kind=kind, level=2, at=AT, channel_id=channel, description="what")


@pytest.mark.parametrize(
    ("kind", "alarm_type"),
    [
        ("intrusion", 6),
        ("line_crossing", 5),
        ("loitering", 8),
        ("crowding", 10),
        ("motion", 2),
        ("something_new", None),
    ],
)
def test_analytics_alarms_go_up_as_video_alarms(kind: str, alarm_type: int | None) -> None:
    upward = upward_alarm(_alarm("analytics", kind))
    assert upward is not None
    assert (upward.source_id, upward.method, upward.alarm_type) == (CHANNEL, 5, alarm_type)
    assert (upward.alarm_at, upward.priority, upward.description) == (AT, 2, "what")


def test_picture_faults_go_up_as_device_faults_and_others_not_at_all() -> None:
    upward = upward_alarm(_alarm("availability", "fault.blur"))
    assert upward is not None and (upward.method, upward.alarm_type) == (6, None)
    assert upward_alarm(_alarm("device", "gb.video.2")) is None  # the notifier sends those
    assert upward_alarm(_alarm("analytics", "intrusion", channel=None)) is None
