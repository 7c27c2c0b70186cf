"""What one retention pass deleted, summed per channel for its audit record.

Each pass writes one ``recording.retention`` record per channel it deleted from (by the system
caller ``system:retention``), with the count, bytes, oldest start and newest end, the count per
reason (``age``, ``cap``, ``disk``) and how many were younger than the legal minimum (only disk
pressure deletes those).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from vigil.governance.audit import AuditLog
from vigil.governance.audited import Caller, note
from vigil.governance.permissions import system_principal
from vigil.store.models import RecordingSegment

__all__ = ["RETENTION_CALLER", "Deleted", "record_pass", "summaries"]

RETENTION_CALLER = Caller(system_principal("system:retention"))


@dataclass(frozen=True, slots=True)
class Deleted:
    """A segment one rule of the pass deleted."""

    segment: RecordingSegment
    reason: str  # age, cap or disk


def summaries(
    deleted: Sequence[Deleted], now: datetime, minimum: timedelta
) -> dict[str, dict[str, Any]]:
    """Per channel: what the pass deleted from it."""
    by_channel: dict[str, list[Deleted]] = {}
    for item in deleted:
        by_channel.setdefault(item.segment.channel_id, []).append(item)
    result: dict[str, dict[str, Any]] = {}
    for channel_id, items in by_channel.items():
        reasons: dict[str, int] = {}
        for item in items:
            reasons[item.reason] = reasons.get(item.reason, 0) + 1
        segments = [item.segment for item in items]
        young = [s for s in segments if s.end > now - minimum]
        result[channel_id] = {
            "count": len(segments),
            "bytes": sum(s.size for s in segments),
            "oldest": min(s.start for s in segments).isoformat(),
            "newest": max(s.end for s in segments).isoformat(),
            "reasons": reasons,
            "below_minimum": len(young),
            "minimum_days": minimum.days,
        }
    return result


async def record_pass(
    audit: AuditLog, deleted: Sequence[Deleted], now: datetime, minimum: timedelta
) -> None:
    """Write the pass's audit records, one per channel it deleted from."""
    for channel_id, detail in summaries(deleted, now, minimum).items():
        await note(
            audit,
            RETENTION_CALLER,
            "recording.retention",
            f"channel/{channel_id}/recordings",
            channel_id=channel_id,
            detail=detail,
        )
