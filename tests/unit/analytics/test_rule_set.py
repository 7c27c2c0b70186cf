"""A channel's rules checked together before they are saved: each parsed, IDs unique, at most
MAX_RULES; the first broken one named by its position with its own code."""

from __future__ import annotations

from typing import Any

import pytest

from vigil.analytics.rules import IntrusionRule, LineCrossingRule
from vigil.analytics.rules_service import MAX_RULES, parse_rules
from vigil.errors import Invalid

ZONE: dict[str, Any] = {
    "kind": "intrusion",
    "id": "gate",
    "name": "Gate",
    "classes": ["person"],
    "zone": [[0.1, 0.1], [0.5, 0.1], [0.5, 0.5]],
}
LINE: dict[str, Any] = {
    "kind": "line_crossing",
    "id": "door",
    "name": "Door",
    "classes": ["car"],
    "line": [[0, 0.5], [1, 0.5]],
}


def test_rules_are_parsed_in_order() -> None:
    zone, line = parse_rules([ZONE, LINE])
    assert isinstance(zone, IntrusionRule) and isinstance(line, LineCrossingRule)
    assert zone.zone.points == ((0.1, 0.1), (0.5, 0.1), (0.5, 0.5))
    assert parse_rules([]) == ()


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(Invalid) as caught:
        parse_rules([ZONE, LINE, {**LINE, "id": "gate"}])
    assert caught.value.code == "rule.duplicate_id"
    assert caught.value.params == {"id": "gate"}
    assert str(caught.value).startswith("rule 3: ")


def test_at_most_max_rules() -> None:
    parse_rules([{**ZONE, "id": f"z{i}"} for i in range(MAX_RULES)])
    with pytest.raises(Invalid) as caught:
        parse_rules([{**ZONE, "id": f"z{i}"} for i in range(MAX_RULES + 1)])
    assert caught.value.code == "rule.too_many"


def test_a_broken_rule_keeps_its_code_and_is_named_by_position() -> None:
    with pytest.raises(Invalid) as caught:
        parse_rules([ZONE, {**LINE, "line": [[0, 0.5], [1.5, 0.5]]}])
    assert caught.value.code == "rule.point_outside"
    assert str(caught.value).startswith("rule 2: ")
    assert caught.value.params["x"] == 1.5
