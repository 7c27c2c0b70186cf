"""Searching recorded video on the wire: the query, and per channel what is on record."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field

from vigil.analytics.attributes import Colour, VehicleType
from vigil.api.schemas.access_policy import CaseNumber, Purpose
from vigil.api.schemas.analytics_tracks import TrackOut
from vigil.api.schemas.common import Instant, Strict

__all__ = ["ChannelHitsOut", "SearchResult", "Span", "TrackHitOut", "VideoSearchRequest"]

ChannelId = Annotated[str, Field(pattern=r"^[0-9]{20}$")]


class VideoSearchRequest(Strict):
    """Channels, a period (at most 31 days), optionally a label and attributes, and why."""

    channel_ids: list[ChannelId] = Field(min_length=1, max_length=32)
    start: Instant
    end: Instant
    label: Annotated[str | None, Field(max_length=32, pattern=r"^[a-z][a-z ]*$")] = None
    vehicle_type: VehicleType | None = None
    colour: Colour | None = Field(None, description="A vehicle's body colour")
    upper_colour: Colour | None = Field(None, description="A person's upper clothing colour")
    lower_colour: Colour | None = Field(None, description="A person's lower clothing colour")
    limit: int = Field(100, ge=1, le=500, description="Tracks per channel")
    purpose: Purpose
    case: CaseNumber | None = None


class Span(BaseModel):
    """A stretch of the period that is on record."""

    start: datetime
    end: datetime


class TrackHitOut(BaseModel):
    """A track that started in the period; ``recorded``: its start is on record."""

    track: TrackOut
    recorded: bool


class ChannelHitsOut(BaseModel):
    """One channel's answer."""

    channel_id: str
    recorded: list[Span]
    recorded_seconds: float
    tracks: list[TrackHitOut]
    more: bool = Field(description="More tracks matched than the limit")


class SearchResult(BaseModel):
    """The answer per channel, in the order the channels were named."""

    channels: list[ChannelHitsOut]
