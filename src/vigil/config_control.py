"""Settings of full control (signed audit heads and exports, access policy): a part of
:class:`vigil.config.Settings`, kept apart so each part's settings read together."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

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
    approval_grant_minutes: int = Field(
        60,
        ge=1,
        le=7 * 24 * 60,
        title="Approval grant lifetime",
        description="Minutes an approved request (an export, unmask or share) may be used after "
        "its approval; then it expires and a new request is needed.",
    )
