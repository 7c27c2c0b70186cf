"""Approvals (审批) on the wire: a request, its decision and grant, the inbox with its counts."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, model_validator

from vigil.api.schemas.common import DigitsId, Instant, Public, Strict, printable
from vigil.api.schemas.mirror import fields_of
from vigil.governance.approvals import ApprovalView

KindName = Literal["export", "unmask", "share", "biometric_search"]
StateName = Literal["pending", "approved", "rejected", "revoked", "expired"]


class ApprovalIn(Strict):
    """A request: what (kind, channel, for an export the range), why, and the case if any."""

    kind: KindName = Field(description="biometric_search is reserved: refused until enabled")
    channel_id: DigitsId
    start: Instant | None = Field(None, description="Required for an export")
    end: Instant | None = None
    purpose: Annotated[str, printable(255, 1)]
    case_number: Annotated[str, printable(64, 1)] | None = None

    @model_validator(mode="after")
    def _range_in_order(self) -> ApprovalIn:
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class ApprovalOut(Public):
    """A request and its handling, as read now (an approval past its expiry is ``expired``)."""

    __annotations__ = fields_of(ApprovalView)
    state: StateName
    expires_at: datetime | None = Field(description="When the grant ends (set on approval)")


class ApprovalInbox(Public):
    """A page of requests, newest first, and how many of them (all pages) are in each state."""

    items: list[ApprovalOut]
    next: str | None = Field(None, description="Pass as `cursor` for the next page")
    counts: dict[StateName, int]


class DecisionIn(Strict):
    """What the decider says about the step."""

    note: Annotated[str, printable(500)] | None = None
