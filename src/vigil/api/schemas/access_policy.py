"""The access policy on the wire: sensitivity, clearance, access windows, and the purpose and
case number a video request gives."""

from __future__ import annotations

from datetime import time
from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from vigil.api.schemas.common import Strict, printable

__all__ = [
    "AccessWindowIn",
    "AccessWindowList",
    "CaseNumber",
    "Clearance",
    "Justified",
    "Purpose",
    "Sensitivity",
]

Level = Annotated[int, Field(ge=0, le=3, description="0 public … 3 secret")]
Purpose = Annotated[str, printable(200, 1)]
"""Why the video is needed (recorded in the audit log)."""
CaseNumber = Annotated[str, printable(64, 1)]
"""The case the access serves; needed for sensitive channels (recorded in the audit log)."""
Action = Literal["live", "playback", "download", "export", "ptz", "unmask", "share", "search"]
Weekday = Annotated[int, Field(ge=1, le=7)]


class Justified(BaseModel):
    """A request for video that says why: a purpose (playback, download, export…) and, for a
    channel of sensitivity at or above the node's setting, a case number."""

    purpose: Purpose | None = None
    case: CaseNumber | None = None


class Sensitivity(Strict):
    """A channel's sensitivity."""

    sensitivity: Level


class Clearance(Strict):
    """A user's clearance: the most sensitive channels the user may see."""

    clearance: Level


class AccessWindowIn(Strict):
    """When a role or a user may do an action, in the node's time zone; ``end`` before
    ``start`` runs past midnight; ``days`` ISO weekdays (1 Monday … 7 Sunday), none for every
    day. Give ``role`` or ``user_id``, not both."""

    action: Action
    start: time
    end: time
    days: list[Weekday] | None = Field(None, min_length=1, max_length=7)
    role: Literal["admin", "operator", "viewer", "auditor"] | None = None
    user_id: int | None = Field(None, ge=1, le=2**31 - 1)

    @model_validator(mode="after")
    def _one_owner(self) -> AccessWindowIn:
        if (self.role is None) == (self.user_id is None):
            raise ValueError("give role or user_id")
        if self.start.replace(tzinfo=None) == self.end.replace(tzinfo=None):
            raise ValueError("start and end must differ")
        return self


class AccessWindowList(BaseModel):
    """Every access window (a PUT replaces them all)."""

    windows: list[AccessWindowIn] = Field(max_length=1000)
