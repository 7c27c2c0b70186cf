"""The alarm centre's pure rules: state moves, new-alarm checks, device alarm mapping, linkage
actions as data and which rules match which alarm."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from vigil.alarms.linkage.actions import EvidenceLock, MqttPublish, Webhook, parse_action
from vigil.alarms.linkage.runner import matches
from vigil.alarms.model import AlarmSource, NewAlarm, from_states
from vigil.alarms.sources import device_alarm
from vigil.errors import Invalid
from vigil.gb28181.devices.events import DeviceAlarmRaised
from vigil.store.models import Alarm, AlarmLinkage

AT = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def test_moves() -> None:
    assert from_states("acknowledge") == ["new"]
    assert from_states("close") == ["acknowledged", "new"]


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"level": 0}, "alarm.level"),
        ({"kind": ""}, "alarm.kind"),
        ({"at": AT.replace(tzinfo=None)}, "alarm.time"),
    ],
)
def test_a_new_alarm_is_checked(changes: dict[str, Any], code: str) -> None:
    fields: dict[str, Any] = {
        "source": AlarmSource.analytics,
        "kind": "intrusion",
        "level": 2,
        "at": AT,
    }
    with pytest.raises(Invalid) as refused:
        NewAlarm(**{**fields, **changes})
    assert refused.value.code == code


def test_device_alarm_kind_level_and_channel() -> None:
    event = DeviceAlarmRaised(
        device_id="34020000001110000001",
        source_id="34020000001340000003",
        alarm_at=AT,
        priority=None,
        method=2,
        alarm_type=1,
        description=None,
    )
    alarm = device_alarm(event, "34020000001340000003")
    assert (alarm.kind, alarm.level, alarm.channel_id) == ("gb.device.1", 3, event.source_id)
    assert alarm.detail["method"] == 2 and alarm.device_id == event.device_id
    bare = device_alarm(
        DeviceAlarmRaised(
            device_id="1",
            source_id="1",
            alarm_at=AT,
            priority=2,
            method=None,
            alarm_type=None,
            description="x",
        ),
        None,
    )
    assert (bare.kind, bare.level, bare.channel_id) == ("gb.unknown", 2, None)


def test_actions_parse_with_defaults_and_refuse_the_unknown() -> None:
    assert parse_action({"type": "evidence_lock"}) == EvidenceLock()
    mqtt = parse_action({"type": "mqtt", "topic": "v/{kind}/{channel}"})
    assert mqtt == MqttPublish(topic="v/{kind}/{channel}")
    assert isinstance(mqtt, MqttPublish)
    alarm = {"source": "device", "kind": "a/b+#", "channel_id": None}
    assert mqtt.topic_for(alarm) == "v/a_b__/None"  # values add no levels nor wildcards
    assert parse_action({"type": "webhook", "url": "https://h.example/x"}) == Webhook(
        url="https://h.example/x"
    )
    for raw in (
        {"type": "siren"},
        {"type": "webhook"},
        {"type": "webhook", "url": "https://h/x", "method": "GET"},
        {"type": "webhook", "url": "file:///etc/passwd"},
        {"type": "webhook", "url": "https://h/x", "timeout": 0},
        {"type": "mqtt", "port": 0},
        {"type": "mqtt", "qos": 3},
        {"type": "mqtt", "topic": "a/+/b"},
    ):
        with pytest.raises(Invalid):
            parse_action(raw)


def _rule(**fields: Any) -> AlarmLinkage:
    return AlarmLinkage(**{"name": "r", "source": None, "kind": None, "enabled": True, **fields})


def test_which_rules_match() -> None:
    alarm = Alarm(source="analytics", kind="intrusion", detail={"rule_id": 7})
    assert matches(_rule(), alarm)
    assert matches(_rule(source="analytics", kind="intrusion"), alarm)
    assert matches(_rule(kind="rule:7"), alarm)
    assert not matches(_rule(kind="rule:8"), alarm)
    assert not matches(_rule(source="device"), alarm)
    assert not matches(_rule(kind="loitering"), alarm)
    assert not matches(_rule(enabled=False), alarm)
