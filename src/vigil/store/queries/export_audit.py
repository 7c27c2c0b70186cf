"""Which audit record an export job was written under: its manifest names the record's sequence
number, so a recipient can ask for the record (and its proof) that says who exported it."""

from __future__ import annotations

from sqlalchemy import select

from vigil.store.database import Database
from vigil.store.models import AuditRecord

__all__ = ["export_audit_seq"]


async def export_audit_seq(db: Database, channel_id: str, job_id: str) -> int | None:
    """The sequence number of the ``video.export`` record of job ``job_id`` (its detail names
    the job), or None when there is none."""
    query = (
        select(AuditRecord.seq)
        .where(
            AuditRecord.action == "video.export",
            AuditRecord.channel_id == channel_id,
            AuditRecord.outcome == "ok",
            AuditRecord.detail.contains(f'"job": "{job_id}"', autoescape=True),
        )
        .order_by(AuditRecord.seq.desc())
        .limit(1)
    )
    async with db.session() as session:
        return await session.scalar(query)
