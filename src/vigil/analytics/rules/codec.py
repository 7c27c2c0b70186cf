"""Rule definitions to and from JSON-ready dicts, as they are stored and drawn in the console.

The dict of a rule is flat: the common fields, ``kind`` naming the rule, and the kind's own
(``zone`` as a list of [x, y], ``line`` as two of them, ``schedule`` as ``{"zone": IANA name,
"windows": [{"days": [0..6], "start": "HH:MM", "end": "HH:MM"}]}`` or null). Reading one checks
its keys and types before the definition checks its values; each failure is
:class:`vigil.errors.Invalid` naming the field. ``rule_from_dict(rule_to_dict(r)) == r``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

from vigil.analytics.rules.definitions import (
    RULE_CLASSES,
    Direction,
    LineCrossingRule,
    Rule,
    SizeUnit,
    ZoneRule,
)
from vigil.analytics.rules.events import RuleKind
from vigil.analytics.rules.geometry import Tripwire, Zone
from vigil.analytics.rules.observations import Point
from vigil.analytics.rules.schedule import WeeklySchedule
from vigil.errors import Invalid

__all__ = ["rule_from_dict", "rule_to_dict"]

_COMMON = ("id", "name", "classes", "min_score", "min_size", "size_unit", "cooldown_s", "enabled")
_OWN: dict[RuleKind, tuple[str, ...]] = {
    RuleKind.intrusion: ("zone",),
    RuleKind.loitering: ("zone", "dwell_s"),
    RuleKind.crowding: ("zone", "max_count", "hold_s"),
    RuleKind.line_crossing: ("line", "direction", "margin"),
}


def rule_to_dict(rule: Rule) -> dict[str, Any]:
    """The rule as a JSON-ready dict."""
    raw: dict[str, Any] = {"kind": rule.kind.value}
    for name in (*_COMMON, *_OWN[rule.kind]):
        raw[name] = getattr(rule, name)
    raw["classes"] = list(rule.classes)
    raw["size_unit"] = rule.size_unit.value
    raw["schedule"] = rule.schedule.as_dict() if rule.schedule else None
    if isinstance(rule, ZoneRule):
        raw["zone"] = [list(p) for p in rule.zone.points]
    if isinstance(rule, LineCrossingRule):
        raw["line"] = [list(rule.line.start), list(rule.line.end)]
        raw["direction"] = rule.direction.value
    return raw


def _points(value: Any, name: str) -> tuple[Point, ...]:
    if not isinstance(value, list | tuple) or not all(
        isinstance(p, list | tuple) and len(p) == 2 for p in value
    ):
        raise Invalid(f"{name} must be a list of [x, y] points, got {value!r}", code="rule.point")
    return tuple((p[0], p[1]) for p in value)


def _line(value: Any) -> Tripwire:
    points = _points(value, "line")
    if len(points) != 2:
        raise Invalid(f"a line needs exactly 2 points, got {len(points)}", code="rule.line_points")
    return Tripwire(points[0], points[1])


def _enum(kind: type[SizeUnit] | type[Direction], name: str) -> Callable[[Any], Any]:
    def parse(value: Any) -> Any:
        try:
            return kind(value)
        except ValueError:
            choices = ", ".join(kind)
            raise Invalid(
                f"{name} must be one of {choices}, got {value!r}", code="rule." + name
            ) from None

    return parse


def _classes(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise Invalid(f"classes must be a list of labels, got {value!r}", code="rule.classes")
    return tuple(value)


_PARSERS: dict[str, Callable[[Any], Any]] = {
    "classes": _classes,
    "size_unit": _enum(SizeUnit, "size_unit"),
    "direction": _enum(Direction, "direction"),
    "zone": lambda value: Zone(_points(value, "zone")),
    "line": _line,
    "schedule": lambda value: None if value is None else _schedule(value),
}


def _schedule(value: Any) -> WeeklySchedule:
    if not isinstance(value, Mapping):
        raise Invalid(f"schedule must be an object or null, got {value!r}", code="rule.schedule")
    return WeeklySchedule.parse(value)


def rule_from_dict(raw: Mapping[str, Any]) -> Rule:
    """The rule a dict (as :func:`rule_to_dict` writes, or the console sends) describes."""
    try:
        kind = RuleKind(str(raw.get("kind")))
    except ValueError:
        choices = ", ".join(RuleKind)
        raise Invalid(
            f"a rule's kind must be one of {choices}, got {raw.get('kind')!r}", code="rule.kind"
        ) from None
    known = {"kind", "schedule", *_COMMON, *_OWN[kind]}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise Invalid(
            f"unknown fields for a rule of kind {kind}: {', '.join(unknown)}",
            code="rule.unknown_field",
        )
    cls = RULE_CLASSES[kind]
    missing = [f.name for f in dataclasses.fields(cls) if _required(f) and f.name not in raw]
    if missing:
        raise Invalid(
            f"a rule of kind {kind} needs {', '.join(missing)}", code="rule.missing_field"
        )
    fields = {
        name: _PARSERS.get(name, _plain)(value) for name, value in raw.items() if name != "kind"
    }
    return cls(**fields)


def _required(field: dataclasses.Field[Any]) -> bool:
    return field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING


def _plain(value: Any) -> Any:
    return value
