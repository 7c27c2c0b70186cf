"""Retention of the analytics events store: tracks older than the kept days go, with their crops.

Rows are deleted in bounded batches (each its own short transaction, so a large backlog never
holds the database), and each batch's crop files after it. :class:`TrackRetention` runs it
hourly for the service.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from pathlib import Path

from vigil.store.database import Database
from vigil.store.queries import analytics_tracks as q
from vigil.store.types import utcnow
from vigil.tasks import cancel_and_wait

__all__ = ["BATCH", "TrackRetention", "expire_tracks"]

log = logging.getLogger(__name__)

#: Rows deleted per transaction.
BATCH = 500
#: Seconds between two runs.
EVERY = 3600.0


async def expire_tracks(db: Database, data_dir: Path, cutoff: datetime, batch: int = BATCH) -> int:
    """Delete every track that started before ``cutoff`` and its crop; how many rows went."""
    root = data_dir.resolve()
    deleted = 0
    while True:
        crops = await q.delete_tracks_before(db, cutoff, batch)
        deleted += len(crops)
        files = [root / c for c in crops if c is not None]
        await asyncio.to_thread(_unlink, [f for f in files if f.resolve().is_relative_to(root)])
        if len(crops) < batch:
            return deleted


def _unlink(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


class TrackRetention:
    """The hourly run of :func:`expire_tracks` with ``days`` kept."""

    def __init__(self, db: Database, data_dir: Path, days: int) -> None:
        self._db = db
        self._data_dir = data_dir
        self.keep = timedelta(days=days)
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="analytics.retention")

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None

    async def run_once(self) -> int:
        """One run now; how many tracks were deleted."""
        deleted = await expire_tracks(self._db, self._data_dir, utcnow() - self.keep)
        if deleted:
            log.info("analytics tracks expired", extra={"deleted": deleted})
        return deleted

    async def _run(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:
                log.exception("analytics retention failed; trying again in an hour")
            await asyncio.sleep(EVERY)
