"""Write-behind for alarm and position reports: queued on the answer path, written in batches.

A NOTIFY is answered as soon as its report is queued. One named task writes the queue every
``interval`` seconds (sooner once ``batch`` rows wait) in one transaction per batch, a bulk INSERT
per table, and publishes each report's bus event after its row is committed. A busy database
(SQLite "database is locked") is retried with backoff (:func:`retry_busy`) and the rows stay
queued until they land; only a row the database rejects outright (its device was deleted
meanwhile) is dropped, with a log line, and counted in :attr:`rejected`. The queue is bounded: a
report that finds it full is refused with an error log line (once per episode) and counted in
:attr:`overflowed`. ``stop`` writes what is queued before it returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from dataclasses import dataclass
from functools import partial

from sqlalchemy import Table, insert
from sqlalchemy.exc import DBAPIError, OperationalError

from vigil.bus import Event, EventBus
from vigil.store.database import Database
from vigil.store.retry import retry_busy

__all__ = ["ReportWriter"]

log = logging.getLogger(__name__)

#: Seconds a stop may spend retrying a busy database before it gives up on the queue.
STOP_DEADLINE = 30.0


@dataclass(frozen=True, slots=True)
class _Report:
    table: Table
    row: dict[str, object]
    event: Event


class ReportWriter:
    """See the module docstring; ``start`` … ``queue`` … ``stop``."""

    def __init__(
        self,
        db: Database,
        bus: EventBus,
        *,
        interval: float = 0.2,
        batch: int = 1000,
        capacity: int = 100_000,
    ) -> None:
        self._db = db
        self._bus = bus
        self._interval = interval
        self._batch = batch
        self._capacity = capacity
        self._queue: deque[_Report] = deque()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._full = False
        #: Rows committed, rows the database rejected, reports refused for a full queue.
        self.written = 0
        self.rejected = 0
        self.overflowed = 0

    def __len__(self) -> int:
        return len(self._queue)

    def queue(self, table: Table, row: dict[str, object], event: Event) -> bool:
        """Queue a row and the event to publish once it is written; False when full."""
        if len(self._queue) >= self._capacity:
            self.overflowed += 1
            if not self._full:
                self._full = True
                log.error(
                    "report queue full; reports are refused until it drains",
                    extra={"capacity": self._capacity, "table": table.name},
                )
            return False
        self._full = False
        self._queue.append(_Report(table, row, event))
        if len(self._queue) >= self._batch:
            self._wake.set()
        return True

    def start(self) -> None:
        self._stopping = False
        self._task = asyncio.get_running_loop().create_task(self._run(), name="gb.report-writer")

    async def stop(self) -> None:
        """Let the task finish its batch, then write what is queued (retrying a busy database
        for up to STOP_DEADLINE seconds)."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            await self._task
            self._task = None
        loop = asyncio.get_running_loop()
        try:
            await self.flush(deadline=loop.time() + STOP_DEADLINE)
        except OperationalError:
            log.exception("reports not written at stop", extra={"reports": len(self._queue)})

    async def _run(self) -> None:
        while not self._stopping:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._interval)
            self._wake.clear()
            try:
                await self.flush()
            except Exception:  # never seen; the rows stay queued for the next round
                log.exception("report write failed", extra={"reports": len(self._queue)})

    async def flush(self, deadline: float | None = None) -> None:
        """Write the queue in batches; each batch leaves the queue only once committed."""
        while self._queue:
            reports = [self._queue[i] for i in range(min(self._batch, len(self._queue)))]
            try:
                await retry_busy(partial(self._write, reports), what="reports", deadline=deadline)
                landed = reports
            except OperationalError:
                raise
            except DBAPIError:
                landed = await self._write_one_by_one(reports, deadline)
            for _ in reports:
                self._queue.popleft()
            self.written += len(landed)
            for report in landed:
                await self._bus.publish(report.event)

    async def _write(self, reports: list[_Report]) -> None:
        tables: dict[Table, list[dict[str, object]]] = {}
        for report in reports:
            tables.setdefault(report.table, []).append(report.row)
        async with self._db.write() as session:
            for table, rows in tables.items():
                await session.execute(insert(table), rows)

    async def _write_one_by_one(
        self, reports: list[_Report], deadline: float | None
    ) -> list[_Report]:
        """A batch the database refused: write each row alone; the rows that landed."""
        landed: list[_Report] = []
        for report in reports:
            try:
                await retry_busy(partial(self._write, [report]), what="report", deadline=deadline)
            except OperationalError:
                raise
            except DBAPIError as exc:
                self.rejected += 1
                log.error(
                    "report refused by the database; dropped",
                    extra={
                        "table": report.table.name,
                        "device_id": report.row.get("device_id"),
                        "error": str(exc.orig),
                    },
                )
            else:
                landed.append(report)
        return landed
