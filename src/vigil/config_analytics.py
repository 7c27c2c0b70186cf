"""The live analytics' settings (``VIGIL_ANALYTICS_*``): a part of :class:`vigil.config.Settings`,
kept apart so each part's settings read together."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

__all__ = ["AnalyticsSettings"]


class AnalyticsSettings(BaseModel):
    """Fields of :class:`vigil.config.Settings` for the live analytics."""

    analytics_enabled: bool | None = Field(
        None,
        title="Live analytics",
        description="Run the live analytics pipeline on channels with enabled rules. Unset: on "
        "when the packaged detection model is installed; without it the node logs one line and "
        "stays idle.",
    )
    analytics_fps: float = Field(
        5.0,
        gt=0,
        le=30,
        title="Analytics frame rate",
        description="Frames per second the live pipeline analyses per channel (more are decoded "
        "but not analysed).",
    )
    analytics_precision: Literal["auto", "int8", "fp32"] = Field(
        "auto",
        title="Detector precision",
        description="auto: the packaged detector in int8 on the CPU (half the time; ranges ship "
        "with Vigil), in float on a GPU; fp32: float everywhere.",
    )
    analytics_retention_days: int = Field(
        30,
        ge=1,
        le=3650,
        title="Analytics retention",
        description="Days the tracks of the live pipeline (and their crops) are kept; an hourly "
        "task deletes older ones.",
    )
