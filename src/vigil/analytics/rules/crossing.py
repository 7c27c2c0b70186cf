"""The line-crossing rule, frame by frame, with per-direction counters.

A track has a side once its foot point is clearly on one (farther from the line than the rule's
margin); while it is within the margin it keeps the side it had, so jitter on the line changes
nothing. When it is next clearly on the other side, the move from the last point where it was
clearly on the old side to this one is tested against the drawn segment: through it, that is a
crossing; around its end (across the line's extension), it is not. A track first seen within the
margin has no side until it leaves it, and so cannot have crossed.

Every crossing while the rule is armed is counted in its direction; only crossings in the rule's
direction raise events, and those respect the cool-down (the count does not).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from vigil.analytics.rules.definitions import LineCrossingRule
from vigil.analytics.rules.events import RuleEvent
from vigil.analytics.rules.geometry import Side
from vigil.analytics.rules.memory import Cooldown, TrackTable
from vigil.analytics.rules.observations import FrameSize, Point, TrackedObject

__all__ = ["LineCounts", "LineCrossingEvaluator"]


@dataclass(frozen=True, slots=True)
class LineCounts:
    """Crossings of one line counted while its rule was armed, from side A to B and from B to A."""

    a_to_b: int = 0
    b_to_a: int = 0


@dataclass
class _Position:
    """The side a track is clearly on, and the last point where it clearly was on it."""

    side: Side | None = None
    anchor: Point = (0.0, 0.0)


class LineCrossingEvaluator:
    """Counts the crossings of one line and raises those in the rule's direction."""

    def __init__(self, rule: LineCrossingRule, forget_after: float) -> None:
        self.rule = rule
        self._tracks: TrackTable[_Position] = TrackTable(_Position, forget_after)
        self._cooldown = Cooldown(rule.cooldown_s)
        self.counts = LineCounts()

    def step(
        self, at: float, size: FrameSize, objects: Sequence[TrackedObject], armed: bool
    ) -> list[RuleEvent]:
        events = []
        for obj in objects:
            crossed_to = self._move(obj, size, at)
            if crossed_to is None or not armed:
                continue
            count = self._count(crossed_to)
            if self.rule.direction.allows(crossed_to) and self._cooldown.ready(at):
                self._cooldown.start(at)
                came_from = Side.A if crossed_to is Side.B else Side.B
                reason = (
                    f"{obj.label} crossed line of rule '{self.rule.name}' "
                    f"from side {came_from.value} to {crossed_to.value}"
                )
                events.append(
                    RuleEvent(
                        self.rule.id, self.rule.kind, obj.track_id, obj.label, at, obj.box, reason,
                        count,
                    )
                )  # fmt: skip
        self._tracks.prune(at)
        return events

    def _move(self, obj: TrackedObject, size: FrameSize, at: float) -> Side | None:
        """Move the track to its foot point; the side it crossed to, if it crossed the line."""
        foot = obj.foot(size)
        side = self.rule.line.side(foot, size, self.rule.margin)
        position = self._tracks.get(obj.track_id, at)
        if side is None:
            return None
        before, anchor = position.side, position.anchor
        position.side, position.anchor = side, foot
        if before is None or before is side:
            return None
        return side if self.rule.line.crossed_by(anchor, foot) else None

    def _count(self, to_side: Side) -> int:
        """Count a crossing to ``to_side``; the counter of its direction after it."""
        if to_side is Side.B:
            self.counts = LineCounts(self.counts.a_to_b + 1, self.counts.b_to_a)
            return self.counts.a_to_b
        self.counts = LineCounts(self.counts.a_to_b, self.counts.b_to_a + 1)
        return self.counts.b_to_a
