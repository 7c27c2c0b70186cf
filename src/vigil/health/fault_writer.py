"""Raising and clearing a channel's faults: the fault row, its evidence image, its work order.

A raised fault is stored with the round's evidence frame (under the data dir's
``health/evidence/<channel>/<fault id>.jpg``) and opens a work order assigned to the channel's
maintainer unit; a cleared one closes both. Once a raised fault is committed, the ``raised`` hook
(the alarm centre's, set by the composition root) is told; its failure is logged, never the
fault's.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from vigil.health.diagnosis import FaultKind, Finding
from vigil.store.database import Database
from vigil.store.models import Channel, VideoFault, WorkOrder
from vigil.store.types import utcnow

__all__ = ["FaultHook", "FaultWriter"]

FaultHook = Callable[[str, str, int, str | None, datetime], Awaitable[None]]
"""Told ``(channel_id, kind, fault_id, evidence_path, opened_at)`` of a raised fault."""

log = logging.getLogger(__name__)


class FaultWriter:
    """Writes the faults that the debounce raised or cleared."""

    def __init__(self, db: Database, data_dir: Path) -> None:
        self._db = db
        self._data_dir = data_dir
        self.raised: FaultHook | None = None

    async def open(self, channel_id: str, finding: Finding, evidence: bytes) -> None:
        """Store a raised fault with its evidence and open its work order."""
        async with self._db.session() as session, session.begin():
            channel = await session.get(Channel, channel_id)
            fault = VideoFault(
                channel_id=channel_id,
                kind=finding.kind.value,
                score=finding.score,
                threshold=finding.threshold,
            )
            session.add(fault)
            await session.flush()
            relative = Path("health") / "evidence" / channel_id / f"{fault.id}.jpg"
            path = self._data_dir / relative
            await asyncio.to_thread(_write, path, evidence)
            fault.evidence_path = relative.as_posix()
            assignee = channel.maintainer_unit if channel is not None else None
            session.add(WorkOrder(fault_id=fault.id, channel_id=channel_id, assignee=assignee))
        log.warning("fault raised", extra={"channel": channel_id, "kind": finding.kind.value})
        if self.raised is not None:
            try:
                await self.raised(
                    channel_id, fault.kind, fault.id, fault.evidence_path, fault.opened_at
                )
            except Exception:
                log.exception("fault hook failed", extra={"channel": channel_id})

    async def close(self, channel_id: str, kind: FaultKind) -> None:
        """Close the channel's open faults of ``kind`` and their work orders."""
        now = utcnow()
        async with self._db.session() as session, session.begin():
            faults = await session.scalars(
                select(VideoFault).where(
                    VideoFault.channel_id == channel_id,
                    VideoFault.kind == kind.value,
                    VideoFault.closed_at.is_(None),
                )
            )
            for fault in faults:
                fault.closed_at = now
                order = await session.scalar(
                    select(WorkOrder).where(WorkOrder.fault_id == fault.id)
                )
                if order is not None and order.closed_at is None:
                    order.closed_at = now
        log.info("fault cleared", extra={"channel": channel_id, "kind": kind.value})


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
