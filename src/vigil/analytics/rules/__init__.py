"""Rules per channel: zones and lines drawn on the picture, and the events they raise.

Sans-I/O: :class:`ChannelRules` takes, per frame of one channel, its time, size and tracked
objects, and returns :class:`RuleEvent` values (intrusion, loitering, crowding, line crossing);
it keeps no database and runs no loop. Definitions (:mod:`.definitions`) validate when made and go
to and from JSON through :func:`rule_to_dict` / :func:`rule_from_dict`.
"""

from __future__ import annotations

from vigil.analytics.rules.codec import rule_from_dict, rule_to_dict
from vigil.analytics.rules.crossing import LineCounts
from vigil.analytics.rules.definitions import (
    CrowdingRule,
    Direction,
    IntrusionRule,
    LineCrossingRule,
    LoiteringRule,
    Rule,
    SizeUnit,
    ZoneRule,
)
from vigil.analytics.rules.engine import ChannelRules
from vigil.analytics.rules.events import RuleEvent, RuleKind
from vigil.analytics.rules.geometry import Side, Tripwire, Zone
from vigil.analytics.rules.observations import Box, FrameSize, Point, TrackedObject
from vigil.analytics.rules.schedule import TimeWindow, WeeklySchedule

# Everything in __all__ is the rules' public API.
__all__ = [
    "Box",
    "ChannelRules",
    "CrowdingRule",
    "Direction",
    "FrameSize",
    "IntrusionRule",
    "LineCounts",
    "LineCrossingRule",
    "LoiteringRule",
    "Point",
    "Rule",
    "RuleEvent",
    "RuleKind",
    "Side",
    "SizeUnit",
    "TimeWindow",
    "TrackedObject",
    "Tripwire",
    "WeeklySchedule",
    "Zone",
    "ZoneRule",
    "rule_from_dict",
    "rule_to_dict",
]
