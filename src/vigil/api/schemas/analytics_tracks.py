"""Tracks of the live analytics pipeline on the wire."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from vigil.api.schemas.common import Public


class TrackOut(Public):
    """One tracked object on one channel: when it was seen, where, how well, and its crop."""

    id: int
    channel_id: str
    track_id: int = Field(description="The tracker's number, unique within a pipeline's run")
    label: str = Field(description="COCO label: person, car, …")
    started_at: datetime
    ended_at: datetime | None = Field(description="null while the track is open")
    first_box: list[float] = Field(description="x1, y1, x2, y2 as fractions of the frame")
    last_box: list[float]
    best_score: float
    frames: int = Field(description="Analysed frames the track was seen in")
    crop_path: str | None = Field(description="Under the data directory; null: none")
    attributes: dict[str, str] | None = Field(
        description=(
            'Read from the crop when the track closed: {"type", "colour"} for a car, bus or '
            'truck, {"type"} for a two-wheeler, {"upper", "lower"} for a person (a colour of '
            'the palette or "unknown"), {} for other classes; null: none read'
        ),
    )
