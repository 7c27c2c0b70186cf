"""Availability on the wire: faults, work orders, diagnosis rounds, thresholds, intact rate."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Protocol

from pydantic import BaseModel, Field

from vigil.api.schemas.from_attrs import from_attrs
from vigil.health.intact_rate import GroupBy
from vigil.health.service import ChannelThresholds


class _Opened(Protocol):
    """What a stored fault and a stored work order both offer: a channel's issue, open or not."""

    @property
    def id(self) -> int: ...
    @property
    def channel_id(self) -> str: ...
    @property
    def opened_at(self) -> datetime: ...
    @property
    def closed_at(self) -> datetime | None: ...


class FaultRow(_Opened, Protocol):
    """What a stored fault offers the API (``vigil.health`` returns them)."""

    @property
    def kind(self) -> str: ...
    @property
    def score(self) -> float: ...
    @property
    def threshold(self) -> float: ...
    @property
    def evidence_path(self) -> str | None: ...


class OrderRow(_Opened, Protocol):
    """What a stored work order offers the API."""

    @property
    def fault_id(self) -> int: ...
    @property
    def fault(self) -> FaultRow: ...
    @property
    def assignee(self) -> str | None: ...


class FaultOut(BaseModel):
    """A picture fault found on a channel, with the link to its evidence image."""

    id: int
    channel_id: str
    kind: str
    score: float
    threshold: float
    opened_at: datetime
    closed_at: datetime | None
    evidence_url: str | None


class WorkOrderOut(BaseModel):
    """A repair order opened for a fault."""

    id: int
    fault_id: int
    kind: str = Field(description="The fault's kind")
    channel_id: str
    assignee: str | None
    opened_at: datetime
    closed_at: datetime | None
    repair_seconds: float | None = Field(description="Time to repair, once closed")


class RepairStatsOut(BaseModel):
    """Time-to-repair figures of one maintainer unit (or of all)."""

    assignee: str | None = Field(description="Maintainer unit; null: channels without one")
    count: int
    open: int
    mean_hours: float | None = Field(description="Of the closed orders; null when none closed")
    median_hours: float | None
    p90_hours: float | None


class RepairReportOut(BaseModel):
    """Time to repair per maintainer unit over a period."""

    from_: datetime | None = Field(serialization_alias="from")
    to: datetime | None
    total: RepairStatsOut
    units: list[RepairStatsOut]


class FindingOut(BaseModel):
    """One check of a diagnosis round: its score against its threshold."""

    kind: str
    score: float
    threshold: float
    bad: bool


class RoundOut(BaseModel):
    """The findings of one on-demand diagnosis round and the faults it changed."""

    channel_id: str
    at: datetime
    findings: list[FindingOut]
    faults: list[str] = Field(description="Faults this round reports (root causes only)")
    raised: list[str]
    cleared: list[str]
    open: list[str]


class DayRateOut(BaseModel):
    """The intact rate of one local day."""

    day: date
    camera_days: int = Field(description="Channels on file that day (today: so far)")
    intact: int
    rate: float | None = Field(description="Null on a day without camera-days")


class GroupRateOut(BaseModel):
    """The intact rate of one group (organisation, industry…) over the period."""

    group: str
    channels: int = Field(description="Channels with a camera-day in the period")
    camera_days: int
    intact: int
    rate: float | None = Field(description="Null without camera-days")
    target: float
    met: bool
    daily: list[DayRateOut] = Field(description="The same figures per local day (the trend)")


class IntactRateOut(BaseModel):
    """The intact rate of an organisation, in total and per group."""

    organisation_id: str
    from_: date = Field(serialization_alias="from")
    to: date
    by: GroupBy
    total: GroupRateOut
    groups: list[GroupRateOut]


class ThresholdsIn(BaseModel):
    """A channel's diagnosis threshold overrides, as sent."""

    overrides: dict[str, float] = Field(
        description="Thresholds fields this channel holds to instead of the node's defaults "
        "(replaces the earlier set; empty: the defaults)",
        max_length=64,
    )


class ThresholdsOut(BaseModel):
    """A channel's diagnosis threshold overrides and the thresholds in force."""

    channel_id: str
    overrides: dict[str, float]
    effective: dict[str, float] = Field(description="Every threshold in force for the channel")


class PtzCheckOut(BaseModel):
    """The outcome of a PTZ check: whether the picture moved."""

    channel_id: str
    at: datetime
    similarity: float | None = Field(
        description="Of the picture after the move to before it; null: no live picture to judge"
    )
    threshold: float = Field(description="At or above it, the picture did not move")
    moved: bool | None
    raised: bool
    cleared: bool
    open: bool = Field(description="Whether a PTZ-not-responding fault is open after this check")


def fault_out(fault: FaultRow) -> FaultOut:
    """A fault as the API shows it."""
    evidence = f"/api/v1/faults/{fault.id}/evidence" if fault.evidence_path else None
    return from_attrs(FaultOut, fault, evidence_url=evidence)


def order_out(order: OrderRow) -> WorkOrderOut:
    """A work order as the API shows it."""
    closed = order.closed_at
    repair = (closed - order.opened_at).total_seconds() if closed else None
    return from_attrs(WorkOrderOut, order, kind=order.fault.kind, repair_seconds=repair)


def thresholds_out(found: ChannelThresholds) -> ThresholdsOut:
    """A channel's thresholds as the API shows them."""
    return ThresholdsOut(
        channel_id=found.channel_id,
        overrides=found.overrides,
        effective=dataclasses.asdict(found.effective),
    )
