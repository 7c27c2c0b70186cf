"""Rule definitions: refused with clear messages when they break a rule, and JSON round trips."""

from __future__ import annotations

import json
from datetime import time
from typing import Any

import pytest

from tests.unit.analytics.rules.scenes import SQUARE
from vigil.analytics.rules import (
    CrowdingRule,
    Direction,
    IntrusionRule,
    LineCrossingRule,
    LoiteringRule,
    Rule,
    SizeUnit,
    TimeWindow,
    Tripwire,
    WeeklySchedule,
    Zone,
    rule_from_dict,
    rule_to_dict,
)
from vigil.errors import Invalid

OFFICE = WeeklySchedule("Asia/Shanghai", (TimeWindow((0, 1, 2, 3, 4), time(8), time(18)),
                                          TimeWindow((5,), time(22), time(6))))  # fmt: skip
RULES: list[Rule] = [
    IntrusionRule(id="a", name="Yard", classes=("person", "car"), zone=Zone(SQUARE),
                  min_score=0.4, min_size=0.01, size_unit=SizeUnit.frame, cooldown_s=30,
                  schedule=OFFICE),
    LoiteringRule(id="b", name="Door", classes=("person",), zone=Zone(SQUARE), dwell_s=45.5,
                  enabled=False),
    CrowdingRule(id="c", name="Hall", classes=("person",), zone=Zone(SQUARE), max_count=12,
                 hold_s=10, min_size=2500),
    LineCrossingRule(id="d", name="Gate", classes=("person", "bicycle"),
                     line=Tripwire((0.1, 0.6), (0.9, 0.55)), direction=Direction.b_to_a,
                     margin=0.03),
]  # fmt: skip


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.kind)
def test_a_rule_survives_a_json_round_trip(rule: Rule) -> None:
    text = json.dumps(rule_to_dict(rule))
    assert rule_from_dict(json.loads(text)) == rule
    assert json.loads(text)["kind"] == rule.kind


def test_the_stored_form_is_plain_json() -> None:
    raw = rule_to_dict(RULES[3])
    assert raw == {
        "kind": "line_crossing", "id": "d", "name": "Gate", "classes": ["person", "bicycle"],
        "min_score": 0.0, "min_size": 0.0, "size_unit": "px", "cooldown_s": 0.0,
        "enabled": True, "schedule": None, "line": [[0.1, 0.6], [0.9, 0.55]],
        "direction": "b_to_a", "margin": 0.03,
    }  # fmt: skip
    assert rule_to_dict(RULES[0])["schedule"] == {
        "zone": "Asia/Shanghai",
        "windows": [
            {"days": [0, 1, 2, 3, 4], "start": "08:00", "end": "18:00"},
            {"days": [5], "start": "22:00", "end": "06:00"},
        ],
    }


def refused(raw: dict[str, Any]) -> Invalid:
    with pytest.raises(Invalid) as caught:
        rule_from_dict(raw)
    return caught.value


BASE = {"kind": "intrusion", "id": "a", "name": "Yard", "classes": ["person"],
        "zone": [[0.1, 0.1], [0.9, 0.1], [0.5, 0.9]]}  # fmt: skip


@pytest.mark.parametrize(
    ("change", "message", "code"),
    [
        ({"zone": [[0.1, 0.1], [0.9, 0.1]]}, "a zone needs at least 3 points, got 2",
         "rule.zone_too_few_points"),
        ({"zone": [[0, 0], [1, 1], [1, 0], [0, 1]]}, "a zone must not cross itself",
         "rule.zone_self_intersecting"),
        ({"zone": [[0.1, 0.1], [0.5, 0.5], [0.9, 0.9]]}, "must not cross itself",
         "rule.zone_self_intersecting"),
        ({"zone": [[0.1, 0.1], [1.5, 0.1], [0.5, 0.9]]},
         "zone points must lie in the frame (0..1 each), got (1.5, 0.1)", "rule.point_outside"),
        ({"zone": "square"}, "zone must be a list of [x, y] points", "rule.point"),
        ({"kind": "line_crossing", "zone": None, "line": [[0.2, 0.5], [0.2, 0.5]]},
         "a line needs two distinct points", "rule.line_degenerate"),
        ({"kind": "line_crossing", "zone": None, "line": [[0.2, 0.5]]},
         "a line needs exactly 2 points, got 1", "rule.line_points"),
        ({"min_score": 1.5}, "min_score must be from 0 to 1, got 1.5", "rule.out_of_range"),
        ({"min_score": "high"}, "min_score must be a number, got 'high'", "rule.not_a_number"),
        ({"cooldown_s": -1}, "cooldown_s must be at least 0, got -1", "rule.out_of_range"),
        ({"cooldown_s": float("inf")}, "cooldown_s must be a finite number, got inf",
         "rule.not_a_number"),
        ({"min_size": 2, "size_unit": "frame"}, "min_size must be from 0 to 1, got 2",
         "rule.out_of_range"),
        ({"size_unit": "cm"}, "size_unit must be one of px, frame, got 'cm'", "rule.size_unit"),
        ({"classes": []}, "a rule needs at least one class", "rule.no_classes"),
        ({"classes": ["person", "ghost"]}, "unknown classes 'ghost'", "rule.unknown_class"),
        ({"name": " "}, "a rule needs a non-empty name", "rule.missing_name"),
        ({"kind": "teleport"}, "a rule's kind must be one of intrusion, loitering, crowding, "
         "line_crossing, got 'teleport'", "rule.kind"),
        ({"colour": "red"}, "unknown fields for a rule of kind intrusion: colour",
         "rule.unknown_field"),
        ({"kind": "loitering"}, "a rule of kind loitering needs dwell_s", "rule.missing_field"),
        ({"kind": "loitering", "dwell_s": 0}, "dwell_s must be more than 0, got 0",
         "rule.out_of_range"),
        ({"kind": "crowding", "max_count": 0}, "max_count must be at least 1, got 0",
         "rule.out_of_range"),
        ({"kind": "crowding", "max_count": 2.5}, "max_count must be a whole number",
         "rule.not_a_number"),
        ({"schedule": {"zone": "Mars/Olympus", "windows": []}}, "unknown time zone 'Mars/Olympus'",
         "rule.schedule_zone"),
        ({"schedule": {"zone": "UTC", "windows": []}}, "a schedule needs at least one window",
         "rule.schedule_empty"),
        ({"schedule": {"zone": "UTC", "windows": [{"days": [7], "start": "08:00", "end": "9:00"}]}},
         "schedule days must be 0 (Monday) to 6 (Sunday), got 7", "rule.schedule_days"),
        ({"schedule": {"zone": "UTC", "windows": [{"days": [1], "start": "8h", "end": "9:00"}]}},
         "a schedule window's start must be HH:MM, got '8h'", "rule.schedule_time"),
    ],
)  # fmt: skip
def test_a_broken_definition_is_refused_with_a_clear_message(
    change: dict[str, Any], message: str, code: str
) -> None:
    raw = {**BASE, **change}
    if raw["zone"] is None:
        del raw["zone"]
    error = refused(raw)
    assert message in str(error)
    assert error.code == code


def test_the_classes_must_be_given() -> None:
    raw = {k: v for k, v in BASE.items() if k != "classes"}
    assert str(refused(raw)) == "a rule of kind intrusion needs classes"


def test_definitions_made_in_code_are_checked_too() -> None:
    with pytest.raises(Invalid, match="at least 3 points"):
        Zone(((0.1, 0.1), (0.2, 0.2)))
    with pytest.raises(Invalid, match="dwell_s must be more than 0, got -5"):
        LoiteringRule(id="b", name="Door", classes=("person",), zone=Zone(SQUARE), dwell_s=-5)
