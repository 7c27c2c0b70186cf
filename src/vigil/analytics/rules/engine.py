"""The rules of one channel, fed frame by frame: time and tracked objects in, rule events out.

Sans-I/O: no database, no clock, no asyncio. Whoever runs a channel's analysis builds a
:class:`ChannelRules` from its rule definitions and calls :meth:`ChannelRules.feed` with each
frame's time (epoch seconds, never going back), its size and the tracker's objects; the events
that come back go to the alarm centre. Disabled rules are left out; a rule whose schedule is not
active at the frame's time keeps following the tracks (so a dwell or a side is known when it arms)
but raises and counts nothing. Edited rules mean a new :class:`ChannelRules`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from vigil.analytics.rules.crossing import LineCounts, LineCrossingEvaluator
from vigil.analytics.rules.definitions import (
    CrowdingRule,
    IntrusionRule,
    LineCrossingRule,
    LoiteringRule,
    Rule,
)
from vigil.analytics.rules.events import RuleEvent
from vigil.analytics.rules.observations import FrameSize, TrackedObject
from vigil.analytics.rules.zones import CrowdingEvaluator, IntrusionEvaluator, LoiteringEvaluator
from vigil.errors import Invalid

__all__ = ["ChannelRules"]


class _Evaluator(Protocol):
    @property
    def rule(self) -> Rule: ...

    def step(
        self, at: float, size: FrameSize, objects: Sequence[TrackedObject], armed: bool
    ) -> list[RuleEvent]: ...


def _evaluator(rule: Rule, forget_after: float) -> _Evaluator:
    if isinstance(rule, IntrusionRule):
        return IntrusionEvaluator(rule, forget_after)
    if isinstance(rule, LoiteringRule):
        return LoiteringEvaluator(rule, forget_after)
    if isinstance(rule, CrowdingRule):
        return CrowdingEvaluator(rule)
    if isinstance(rule, LineCrossingRule):
        return LineCrossingEvaluator(rule, forget_after)
    raise TypeError(f"no evaluator for {type(rule).__name__}")


class ChannelRules:
    """A channel's enabled rules and what they remember between frames.

    ``forget_after_s``: a track unseen this long is forgotten (bounded memory); a tracker that
    brings a lost track back under its old id within it is followed without a break."""

    def __init__(self, rules: Iterable[Rule], *, forget_after_s: float = 10.0) -> None:
        rules = list(rules)
        ids = [rule.id for rule in rules]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise Invalid(
                f"rule ids must be unique on a channel, repeated: {', '.join(duplicates)}",
                code="rule.duplicate_id",
            )
        self._evaluators = [_evaluator(rule, forget_after_s) for rule in rules if rule.enabled]

    @property
    def rules(self) -> list[Rule]:
        """The enabled rules, in the order given."""
        return [evaluator.rule for evaluator in self._evaluators]

    def feed(self, at: float, size: FrameSize, objects: Sequence[TrackedObject]) -> list[RuleEvent]:
        """One frame: its time (epoch seconds), size, and tracked objects; the events raised."""
        if size.width <= 0 or size.height <= 0:
            raise ValueError(f"a frame has a positive size, got {size.width}x{size.height}")
        events: list[RuleEvent] = []
        for evaluator in self._evaluators:
            rule = evaluator.rule
            armed = rule.schedule is None or rule.schedule.active(at)
            watched = [obj for obj in objects if rule.qualifies(obj, size)]
            events += evaluator.step(at, size, watched, armed)
        return events

    def line_counts(self, rule_id: str) -> LineCounts:
        """The crossings counted so far by the enabled line rule ``rule_id``."""
        for evaluator in self._evaluators:
            if evaluator.rule.id == rule_id and isinstance(evaluator, LineCrossingEvaluator):
                return evaluator.counts
        raise KeyError(f"no enabled line-crossing rule {rule_id!r} on this channel")
