"""Audit records on the wire."""

from __future__ import annotations

from datetime import datetime

from vigil.api.schemas.common import Public


class AuditRecordPublic(Public):
    """One audit record as the API shows it, with its chain hashes."""

    seq: int
    at: datetime
    actor: str
    action: str
    resource: str
    channel_id: str | None
    source: str | None
    outcome: str
    detail: str
    hash: str
