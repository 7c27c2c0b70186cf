"""Analytics rules on the wire: a channel's rules (zones and lines in normalised coordinates,
0..1 of the picture, y down) and the version they were saved as.

These schemas bound sizes and types only; what a rule means (a zone that crosses itself, a score
above 1, an unknown class) is checked by the rules themselves, whose ``rule.*`` codes the console
words."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from vigil.api.schemas.common import Strict, printable

__all__ = ["ChannelRulesIn", "ChannelRulesOut", "RuleBody", "ScheduleBody", "WindowBody"]

Finite = Annotated[float, Field(allow_inf_nan=False, ge=-1e9, le=1e9)]
PointBody = Annotated[list[Finite], Field(min_length=2, max_length=2, description="[x, y], 0..1")]


class WindowBody(Strict):
    """When a rule is armed on the days named (0 Monday … 6 Sunday), local time; an end before
    the start runs past midnight."""

    days: list[Annotated[int, Field(ge=-1000, le=1000)]] = Field(max_length=7)
    start: Annotated[str, printable(8)] = Field(description="HH:MM")
    end: Annotated[str, printable(8)] = Field(description="HH:MM")


class ScheduleBody(Strict):
    """A weekly schedule in an IANA time zone."""

    zone: Annotated[str, printable(64)] = Field(description="IANA time zone, e.g. Asia/Shanghai")
    windows: list[WindowBody] = Field(max_length=32)


class RuleBody(Strict):
    """One rule: the fields every rule has, and its kind's own (``zone`` for intrusion,
    loitering and crowding; ``line`` and ``direction`` for line crossing)."""

    kind: Literal["intrusion", "loitering", "crowding", "line_crossing"]
    id: Annotated[str, printable(64, 1)]
    name: Annotated[str, printable(64, 1)]
    classes: list[Annotated[str, printable(32, 1)]] = Field(
        max_length=16, description="COCO labels: person, car, bus, truck, bicycle, motorcycle…"
    )
    min_score: Finite | None = None
    min_size: Finite | None = None
    size_unit: Literal["px", "frame"] | None = None
    cooldown_s: Finite | None = None
    enabled: bool | None = None
    schedule: ScheduleBody | None = Field(None, description="null: always armed")
    zone: list[PointBody] | None = Field(None, max_length=64, description="A polygon's points")
    line: list[PointBody] | None = Field(None, max_length=8, description="From, to")
    direction: Literal["a_to_b", "b_to_a", "both"] | None = Field(
        None, description="A is left of the line walking from its first point to its second"
    )
    margin: Finite | None = None
    dwell_s: Finite | None = Field(None, description="Loitering: seconds in the zone")
    max_count: Annotated[int, Field(ge=-1_000_000, le=1_000_000)] | None = Field(
        None, description="Crowding: more objects than this raise it"
    )
    hold_s: Finite | None = Field(None, description="Crowding: for at least these seconds")


class ChannelRulesIn(Strict):
    """Every rule of a channel (replaces the saved ones), and the version the editor started
    from (null: save whatever is there)."""

    version: Annotated[int, Field(ge=0, le=2**31 - 1)] | None
    rules: list[RuleBody] = Field(max_length=64)


class ChannelRulesOut(BaseModel):
    """A channel's rules as saved; version 0 (and no time, no author) when none were."""

    channel_id: str
    version: int
    updated_at: datetime | None
    updated_by: str | None
    rules: list[RuleBody]
