"""Settings of full control (signed audit heads and exports, access policy): a part of
:class:`vigil.config.Settings`, kept apart so each part's settings read together."""

from __future__ import annotations

from pathlib import Path
from typing import Self

from pydantic import BaseModel, Field, model_validator

from vigil.retention_class import DEFAULT_DAYS, check_class_days

__all__ = ["ControlSettings"]


class ControlSettings(BaseModel):
    """Fields of :class:`vigil.config.Settings` for full control."""

    signing_key_file: Path | None = Field(
        None,
        title="Signing key",
        description="The node's Ed25519 key (raw 32 bytes, mode 0600) that signs audit tree heads "
        "and export packages; kept outside the database. Unset: <data_dir>/keys/signing.key, "
        "created on first start.",
    )
    audit_head_interval: float = Field(
        60.0,
        ge=1,
        le=86400,
        title="Audit tree head interval",
        description="Seconds between signed tree heads of the audit log; one is published only "
        "when the log grew, and on request (GET /api/v1/audit/tree-head).",
    )
    access_case_from_sensitivity: int = Field(
        2,
        ge=0,
        le=4,
        title="Case number from sensitivity",
        description="Playback, download, export, search and unmask of a channel this sensitive "
        "(0 public … 3 secret) or more need a case number besides a purpose; 4: never.",
    )
    export_watermark_from_sensitivity: int = Field(
        1,
        ge=0,
        le=4,
        title="Export watermark from sensitivity",
        description="Exports of a channel this sensitive (0 public … 3 secret) or more carry a "
        "visible watermark burnt into the picture: who exported, when (UTC), the case; 0: every "
        "export, 4: none.",
    )
    approval_grant_minutes: int = Field(
        60,
        ge=1,
        le=7 * 24 * 60,
        title="Approval grant lifetime",
        description="Minutes an approved request (an export, unmask or share) may be used after "
        "its approval; then it expires and a new request is needed.",
    )
    retention_days_by_class: dict[str, int] = Field(
        default_factory=lambda: dict(DEFAULT_DAYS),
        title="Retention days by class",
        description="Days each retention class (standard, key_area, traffic, sensitive) keeps "
        "its channels' recordings; each must lie within [retention_min_days, "
        "retention_max_days]. A class left out keeps the standard class's days.",
    )
    retention_min_days: int = Field(
        30,
        ge=1,
        title="Legal minimum retention",
        description="Days under which the age rule never deletes a recording (GB/T 28181 "
        "practice and public-security rules ask at least 30); only disk pressure may, and "
        "only unlocked segments, and its audit record says so.",
    )
    retention_max_days: int = Field(
        90,
        ge=1,
        title="Legal maximum retention",
        description="Days no retention class may exceed (keep video no longer than needed).",
    )

    @model_validator(mode="after")
    def _retention_within_bounds(self) -> Self:
        check_class_days(
            self.retention_days_by_class, self.retention_min_days, self.retention_max_days
        )
        return self
