"""Scratch PostgreSQL databases for tests: copied from a template ahead of use, dropped behind.

A test that runs on PostgreSQL gets a database of its own, a copy of a migrated template. On
PostgreSQL 15 both ends of that life cost the test's worker time it does not spend on the test:
``CREATE DATABASE … TEMPLATE`` copies the template through the WAL, and ``DROP DATABASE`` waits
for a checkpoint. On a quiet machine that is 0.1 s and 0.04 s; during a full parallel run, with
every worker writing, it was 0.7 s and 3 s (measured with psql on this machine kind), and a test
on PostgreSQL took 3.7 s longer than its SQLite twin. Neither needs to stand in the test's way:
:class:`ScratchDatabases` keeps one copy made ahead, so a test takes one at once, and a thread of
its own drops used databases while the next tests run (the twin's difference became 0.35 s).
The queue is drained when the worker's session ends, so no database outlives the run that made
it (one left by a killed worker carries the ``vigil_test_`` prefix, as before).

Each pytest process (each xdist worker) has its own template and its own :class:`ScratchDatabases`;
nothing is shared between workers, and the template is only ever read by this thread's
``CREATE DATABASE`` (PostgreSQL refuses to copy a database another session is connected to).
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
import uuid
from collections.abc import Callable

import asyncpg

__all__ = ["ScratchDatabases", "create_statements", "drop_statement", "new_name", "run_sql"]


def new_name() -> str:
    """A fresh scratch database name (the prefix says where it came from)."""
    return f"vigil_test_{uuid.uuid4().hex[:12]}"


def run_sql(maintenance_dsn: str, *statements: str) -> None:
    """Run ``statements`` in order on one connection to the maintenance database."""

    async def run() -> None:
        connection = await asyncpg.connect(maintenance_dsn)
        try:
            for statement in statements:
                await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(run())


def create_statements(name: str, template: str | None) -> tuple[str, str]:
    """Create ``name`` (a copy of ``template`` when named) with commits that need not wait for
    the WAL to reach the disk (a crash loses the database anyway): set on it alone, never on the
    server."""
    copy = f' TEMPLATE "{template}"' if template else ""
    return (
        f'CREATE DATABASE "{name}"{copy}',
        f'ALTER DATABASE "{name}" SET synchronous_commit TO off',
    )


def drop_statement(name: str) -> str:
    return f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'


# The thread's jobs in order of need: the next copy, drops, the last drops, the end of the thread.
MAKE, DROP, DRAIN, STOP = 0, 1, 2, 3


class ScratchDatabases:
    """Copies of one template: :meth:`take` one, :meth:`give_back` it; :meth:`close` at the end.

    One thread does the slow work in order of need: the next copy first, then the drops.
    """

    def __init__(self, maintenance_dsn: str, template: str) -> None:
        self._dsn = maintenance_dsn
        self._template = template
        # (priority, sequence, job): a copy to make goes before a drop.
        self._jobs: queue.PriorityQueue[tuple[int, int, Callable[[], None]]] = queue.PriorityQueue()
        self._sequence = 0
        self._lock = threading.Lock()
        self._ready: queue.Queue[str | Exception] = queue.Queue()
        self._thread = threading.Thread(target=self._work, name="pg-scratch", daemon=True)
        self._thread.start()
        self._make_ahead()

    def take(self) -> str:
        """A fresh copy of the template (made ahead, or waited for); the next is started."""
        made = self._ready.get()
        self._make_ahead()
        if isinstance(made, Exception):
            raise made
        return made

    def give_back(self, name: str) -> None:
        """Drop ``name`` in the background; the caller has closed its connections (FORCE ends
        any a node left behind)."""
        self._submit(DROP, lambda: run_sql(self._dsn, drop_statement(name)))

    def close(self) -> None:
        """Drop what is queued and the copy made ahead, then stop the thread."""
        self._submit(DRAIN, self._drop_ready)
        self._submit(STOP, lambda: None)
        self._jobs.join()

    def _make_ahead(self) -> None:
        def make() -> None:
            name = new_name()
            try:
                run_sql(self._dsn, *create_statements(name, self._template))
            except (OSError, asyncpg.PostgresError) as exc:  # the test that takes it fails
                self._ready.put(exc)
            else:
                self._ready.put(name)

        self._submit(MAKE, make)

    def _drop_ready(self) -> None:
        while not self._ready.empty():
            made = self._ready.get()
            if isinstance(made, str):
                run_sql(self._dsn, drop_statement(made))

    def _submit(self, priority: int, job: Callable[[], None]) -> None:
        with self._lock:
            self._sequence += 1
            self._jobs.put((priority, self._sequence, job))

    def _work(self) -> None:
        while True:
            priority, _, job = self._jobs.get()
            # A drop that fails leaves a database behind, not a failed test.
            try:
                with contextlib.suppress(OSError, asyncpg.PostgresError):
                    job()
            finally:
                self._jobs.task_done()
            if priority == STOP:
                return
