"""An export job as the playback service keeps it, and what its manifest says of its privacy.

An export may be anonymised (``anonymise``: ``faces``, later ``plates``): each kind is found in
every picture by a region finder that the node was given for it (:mod:`vigil.media.masking.
regions`) and blurred, held across pictures. The manifest's ``privacy`` names what was blurred:
the privacy masks, the unmask approval that lifted others, the watermark, and per anonymised kind
the model that found it (a name and its file's SHA-256) with how many pictures and regions it
found.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, get_args

from vigil.errors import Param, VigilError
from vigil.governance.approvals import ApprovalView
from vigil.governance.mask_service import ViewMasks
from vigil.governance.permissions import Principal
from vigil.media.masking.regions import RegionFinder
from vigil.media.playback.export import ApprovalFacts, ExportedFile

__all__ = [
    "ANONYMISE_KINDS",
    "Anonymise",
    "ExportJob",
    "approval_facts",
    "mark_failed",
    "models_of",
    "privacy_facts",
    "watermark_caption",
]

log = logging.getLogger(__name__)

Anonymise = Literal["faces", "plates"]
"""What an export can blur besides the privacy masks: faces of bystanders, licence plates."""
ANONYMISE_KINDS: tuple[str, ...] = get_args(Anonymise)


@dataclass
class ExportJob:
    """An export asked for: who asked, for what range and why, and how it went."""

    id: str
    channel_id: str
    start: datetime
    end: datetime
    purpose: str
    who: str
    created: datetime
    directory: Path
    state: str = "running"  # running | done | failed
    error: str | None = None
    error_code: str | None = None
    error_params: dict[str, Param] = field(default_factory=dict)
    file: str | None = None
    manifest: dict[str, Any] | None = field(default=None, repr=False)
    case: str | None = None
    approval: ApprovalView | None = field(default=None, repr=False)
    package: str | None = None  # the signed .zip beside ``file``, once done
    watermark: str | None = None
    """The caption burnt into the export's picture, when policy asks for one."""
    seen: ViewMasks = field(default_factory=lambda: ViewMasks(()), repr=False)
    """The privacy masks blurred into the export (and whether an unmask lifted others)."""
    unmask_approval: int | None = None
    anonymise: list[Anonymise] = field(default_factory=list)
    """What is found and blurred in every picture besides the masks (faces, plates)."""
    finders: dict[str, RegionFinder] = field(default_factory=dict, repr=False)
    """The region finder of each kind in ``anonymise``, loaded when the export was asked for."""

    @property
    def approval_id(self) -> int | None:
        return self.approval.id if self.approval else None

    @property
    def approver(self) -> str | None:
        return self.approval.decided_by if self.approval else None


def watermark_caption(principal: Principal, job: ExportJob) -> str:
    """The export's visible watermark: who (name and user ID), when (UTC), the case."""
    who = f"{principal.username} #{principal.user_id}" if principal.user_id else principal.username
    when = f"{job.created:%Y-%m-%d %H:%M}Z"
    return f"VIGIL EXPORT {who}\n{when}" + (f" case {job.case}" if job.case else "")


def approval_facts(approval: ApprovalView | None) -> ApprovalFacts | None:
    if approval is None:
        return None
    return ApprovalFacts(
        approval.id,
        approval.requester,
        approval.decided_by,
        approval.decided_at,
        approval.case_number,
    )


def models_of(finders: dict[str, RegionFinder]) -> dict[str, dict[str, str]]:
    """Each anonymised kind's model: its name and SHA-256 (for the audit record)."""
    return {kind: {"model": f.model, "sha256": f.sha256} for kind, f in finders.items()}


def privacy_facts(job: ExportJob, exported: ExportedFile) -> dict[str, Any]:
    """The manifest's ``privacy``: masks, unmask approval, watermark, what was anonymised."""
    anonymised = []
    for kind, finder in job.finders.items():
        found = exported.found.get(kind)
        anonymised.append(
            {
                "kind": kind,
                "model": finder.model,
                "sha256": finder.sha256,
                "pictures": found.pictures if found else 0,
                "regions": found.regions if found else 0,
            }
        )
    return {
        "masks": len(job.seen.masks),
        "unmask_approval": job.unmask_approval if job.seen.unmasked else None,
        "watermark": job.watermark,
        "anonymised": anonymised,
    }


def mark_failed(job: ExportJob, exc: VigilError | OSError) -> None:
    job.state, job.error = "failed", str(exc)
    if isinstance(exc, VigilError):
        job.error_code, job.error_params = exc.code, dict(exc.params)
    else:
        job.error_code = "export.io"
    log.warning("export failed", extra={"channel_id": job.channel_id, "job": job.id})
