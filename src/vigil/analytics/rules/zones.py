"""The zone rules, frame by frame: intrusion, loitering and crowding.

Each evaluator is given, per frame, only the objects its rule qualifies (class, score, size) and
whether the rule is armed (its schedule). An object missing from a frame, or not qualifying in it,
is not taken as having left: detectors miss frames, and a missed frame must not restart a dwell.

Cool-down is per rule. For intrusion and loitering a track that would have raised during the
cool-down is spent (it raises nothing later), so a cool-down bounds the events a busy zone makes;
crowding waits for the cool-down instead, since the crowd is still there when it ends.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from vigil.analytics.rules.definitions import (
    CrowdingRule,
    IntrusionRule,
    LoiteringRule,
    ZoneRule,
)
from vigil.analytics.rules.events import RuleEvent
from vigil.analytics.rules.memory import Cooldown, TrackTable
from vigil.analytics.rules.observations import Box, FrameSize, TrackedObject

__all__ = ["CrowdingEvaluator", "IntrusionEvaluator", "LoiteringEvaluator"]


@dataclass
class _Entry:
    """A track's time in a zone: when it entered (None: outside) and whether it was raised."""

    since: float | None = None
    spent: bool = False


def _track_event(rule: ZoneRule, obj: TrackedObject, at: float, reason: str) -> RuleEvent:
    return RuleEvent(rule.id, rule.kind, obj.track_id, obj.label, at, obj.box, reason)


class _DwellEvaluator:
    """One event per track that has stayed in the zone ``dwell`` seconds without leaving (an
    intrusion is a dwell of 0: the first frame in the zone while armed)."""

    def __init__(self, rule: IntrusionRule | LoiteringRule, dwell: float, forget: float) -> None:
        self.rule: IntrusionRule | LoiteringRule = rule
        self._dwell = dwell
        self._tracks: TrackTable[_Entry] = TrackTable(_Entry, forget)
        self._cooldown = Cooldown(rule.cooldown_s)

    def step(
        self, at: float, size: FrameSize, objects: Sequence[TrackedObject], armed: bool
    ) -> list[RuleEvent]:
        events = []
        inside = self.rule.zone.contains_each([obj.foot(size) for obj in objects])
        for obj, in_zone in zip(objects, inside, strict=True):
            entry = self._tracks.get(obj.track_id, at)
            if not in_zone:
                entry.since = None
                continue
            entry.since = at if entry.since is None else entry.since
            stayed = at - entry.since
            if not armed or entry.spent or stayed < self._dwell:
                continue
            entry.spent = True
            if self._cooldown.ready(at):
                self._cooldown.start(at)
                events.append(_track_event(self.rule, obj, at, self._reason(obj, stayed)))
        self._tracks.prune(at)
        return events

    def _reason(self, obj: TrackedObject, stayed: float) -> str:
        return f"{obj.label} in zone of rule '{self.rule.name}'"


class IntrusionEvaluator(_DwellEvaluator):
    """One event per track found in the zone while the rule is armed."""

    def __init__(self, rule: IntrusionRule, forget_after: float) -> None:
        super().__init__(rule, 0.0, forget_after)


class LoiteringEvaluator(_DwellEvaluator):
    """One event per track that has stayed in the zone ``dwell_s`` seconds without leaving."""

    def __init__(self, rule: LoiteringRule, forget_after: float) -> None:
        super().__init__(rule, rule.dwell_s, forget_after)

    def _reason(self, obj: TrackedObject, stayed: float) -> str:
        return (
            f"{obj.label} stayed {stayed:.0f} s in zone of rule '{self.rule.name}' "
            f"(limit {self._dwell:g} s)"
        )


def _union(boxes: Sequence[Box]) -> Box:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


class CrowdingEvaluator:
    """An event when more than ``max_count`` objects have been in the zone for ``hold_s``; then
    none until the count fell below ``max_count`` and the cool-down passed."""

    def __init__(self, rule: CrowdingRule) -> None:
        self.rule = rule
        self._cooldown = Cooldown(rule.cooldown_s)
        self._over_since: float | None = None
        self._rearmed = True

    def step(
        self, at: float, size: FrameSize, objects: Sequence[TrackedObject], armed: bool
    ) -> list[RuleEvent]:
        feet = self.rule.zone.contains_each([obj.foot(size) for obj in objects])
        inside = [obj for obj, in_zone in zip(objects, feet, strict=True) if in_zone]
        count = len(inside)
        if count < self.rule.max_count:
            self._rearmed = True
        if count <= self.rule.max_count:
            self._over_since = None
            return []
        self._over_since = at if self._over_since is None else self._over_since
        held = at - self._over_since
        if not (armed and self._rearmed and held >= self.rule.hold_s and self._cooldown.ready(at)):
            return []
        self._rearmed = False
        self._cooldown.start(at)
        labels = ",".join(sorted({obj.label for obj in inside}))
        reason = (
            f"{count} objects in zone of rule '{self.rule.name}' for {held:.0f} s "
            f"(more than {self.rule.max_count})"
        )
        box = _union([obj.box for obj in inside])
        return [RuleEvent(self.rule.id, self.rule.kind, None, labels, at, box, reason, count)]
