"""Rule definitions: what a channel's operator draws and sets, validated when made.

Every rule has an id, a name, the COCO classes it watches, a minimum score, a minimum size, a
cool-down, whether it is enabled, and an optional weekly schedule (None: always armed). The four
kinds add their shape and thresholds:

- :class:`IntrusionRule`: an object in the zone while armed (once per track);
- :class:`LoiteringRule`: a track in the zone for at least ``dwell_s`` (once per track);
- :class:`CrowdingRule`: more than ``max_count`` objects in the zone for at least ``hold_s``;
- :class:`LineCrossingRule`: a track crossing the line in ``direction`` (counted both ways).

The minimum size is a box area: in square pixels (``size_unit`` "px") or as a fraction of the
frame's area ("frame", which survives a change of resolution). A definition that breaks a rule
raises :class:`vigil.errors.Invalid` naming it, with a stable code for the console.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from typing import ClassVar

from vigil.analytics.detect.coco import COCO_LABELS
from vigil.analytics.rules.events import RuleKind
from vigil.analytics.rules.geometry import Side, Tripwire, Zone
from vigil.analytics.rules.observations import FrameSize, TrackedObject
from vigil.analytics.rules.schedule import WeeklySchedule
from vigil.errors import Invalid

__all__ = [
    "RULE_CLASSES",
    "CrowdingRule",
    "Direction",
    "IntrusionRule",
    "LineCrossingRule",
    "LoiteringRule",
    "Rule",
    "SizeUnit",
    "ZoneRule",
]

_KNOWN_LABELS = frozenset(COCO_LABELS)


class SizeUnit(enum.StrEnum):
    """How a rule's minimum size is measured: square pixels, or a fraction of the frame's area."""

    px = "px"
    frame = "frame"


class Direction(enum.StrEnum):
    """Which crossings of a line raise events: from side A to B, from B to A, or both."""

    a_to_b = "a_to_b"
    b_to_a = "b_to_a"
    both = "both"

    def allows(self, to_side: Side) -> bool:
        """Whether a crossing that ends on ``to_side`` raises an event."""
        return self is Direction.both or (self is Direction.a_to_b) == (to_side is Side.B)


def _number(
    value: float, name: str, low: float, high: float = math.inf, *, above: bool = False
) -> None:
    """Check a number lies from ``low`` (exclusive when ``above``) to ``high``."""
    if not (isinstance(value, int | float) and not isinstance(value, bool)):
        raise Invalid(f"{name} must be a number, got {value!r}", code="rule.not_a_number")
    if not math.isfinite(value):
        raise Invalid(f"{name} must be a finite number, got {value!r}", code="rule.not_a_number")
    if not ((low < value) if above else (low <= value)) or not value <= high:
        if above:
            bounds = f"more than {low:g}"
        elif high == math.inf:
            bounds = f"at least {low:g}"
        else:
            bounds = f"from {low:g} to {high:g}"
        raise Invalid(
            f"{name} must be {bounds}, got {value:g}", code="rule.out_of_range", field=name
        )


@dataclass(frozen=True, kw_only=True)
class Rule:
    """What every rule has; the kinds below add their shape and thresholds."""

    kind: ClassVar[RuleKind]

    id: str
    name: str
    classes: tuple[str, ...]
    min_score: float = 0.0
    min_size: float = 0.0
    size_unit: SizeUnit = SizeUnit.px
    cooldown_s: float = 0.0
    enabled: bool = True
    schedule: WeeklySchedule | None = None

    def __post_init__(self) -> None:
        for name, text in (("id", self.id), ("name", self.name)):
            if not isinstance(text, str) or not text.strip():
                raise Invalid(f"a rule needs a non-empty {name}", code="rule.missing_" + name)
        self._check_classes()
        if not isinstance(self.size_unit, SizeUnit):
            raise Invalid(f"unknown size unit {self.size_unit!r}", code="rule.size_unit")
        _number(self.min_score, "min_score", 0.0, 1.0)
        _number(
            self.min_size, "min_size", 0.0, 1.0 if self.size_unit is SizeUnit.frame else math.inf
        )
        _number(self.cooldown_s, "cooldown_s", 0.0)
        if not isinstance(self.enabled, bool):
            raise Invalid(
                f"enabled must be true or false, got {self.enabled!r}", code="rule.enabled"
            )

    def _check_classes(self) -> None:
        if not self.classes:
            raise Invalid("a rule needs at least one class", code="rule.no_classes")
        unknown = [label for label in self.classes if label not in _KNOWN_LABELS]
        if unknown:
            raise Invalid(
                f"unknown classes {', '.join(map(repr, unknown))} (COCO labels such as 'person')",
                code="rule.unknown_class",
            )

    def qualifies(self, obj: TrackedObject, size: FrameSize) -> bool:
        """Whether the object is one this rule watches: its class, score and size."""
        if obj.label not in self.classes or obj.score < self.min_score:
            return False
        floor = self.min_size * (
            size.width * size.height if self.size_unit is SizeUnit.frame else 1
        )
        return obj.area() >= floor


@dataclass(frozen=True, kw_only=True)
class ZoneRule(Rule):
    """A rule about a zone: objects are in it by their foot point."""

    zone: Zone


@dataclass(frozen=True, kw_only=True)
class IntrusionRule(ZoneRule):
    """An object of the classes in the zone while armed: one event per track."""

    kind: ClassVar[RuleKind] = RuleKind.intrusion


@dataclass(frozen=True, kw_only=True)
class LoiteringRule(ZoneRule):
    """A track in the zone for at least ``dwell_s`` without leaving it: one event per track."""

    kind: ClassVar[RuleKind] = RuleKind.loitering
    dwell_s: float

    def __post_init__(self) -> None:
        super().__post_init__()
        _number(self.dwell_s, "dwell_s", 0.0, above=True)


@dataclass(frozen=True, kw_only=True)
class CrowdingRule(ZoneRule):
    """More than ``max_count`` objects in the zone for at least ``hold_s``; raised again only
    after the count fell below ``max_count`` (hysteresis) and the cool-down passed."""

    kind: ClassVar[RuleKind] = RuleKind.crowding
    max_count: int
    hold_s: float = 0.0

    def __post_init__(self) -> None:
        super().__post_init__()
        if isinstance(self.max_count, bool) or not isinstance(self.max_count, int):
            raise Invalid(
                f"max_count must be a whole number, got {self.max_count!r}",
                code="rule.not_a_number",
            )
        # More than 0 objects is an intrusion; and "fell below" needs room below.
        _number(self.max_count, "max_count", 1)
        _number(self.hold_s, "hold_s", 0.0)


@dataclass(frozen=True, kw_only=True)
class LineCrossingRule(Rule):
    """A track's foot point crossing ``line``: counted per direction, raised in ``direction``.

    ``margin`` is how far (a fraction of the frame's shorter side) a foot point must be from the
    line to be on a side: a point jittering within it never counts twice."""

    kind: ClassVar[RuleKind] = RuleKind.line_crossing
    line: Tripwire
    direction: Direction = Direction.both
    margin: float = 0.02

    def __post_init__(self) -> None:
        super().__post_init__()
        if not isinstance(self.direction, Direction):
            raise Invalid(f"unknown direction {self.direction!r}", code="rule.direction")
        _number(self.margin, "margin", 0.0, 0.25)


#: The definition class of each kind of rule.
RULE_CLASSES: dict[RuleKind, type[Rule]] = {
    cls.kind: cls for cls in (IntrusionRule, LoiteringRule, CrowdingRule, LineCrossingRule)
}
