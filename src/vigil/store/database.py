"""The async engine and session factory for SQLite (embedded) and PostgreSQL (cluster).

Making the engine touches nothing: a SQLite file comes into being only through
:meth:`Database.create_file` (``serve``, ``demo`` and ``db upgrade``), private (0600; SQLite gives
its ``-wal`` and ``-shm`` files the same mode). :meth:`Database.reachable` turns a database that
cannot be opened into one :class:`~vigil.errors.Unavailable` line.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from vigil.errors import Unavailable

__all__ = ["Database"]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets readers run beside the single writer; foreign keys are off by default in SQLite."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class Database:
    """Owns the engine; ``session()`` hands out units of work."""

    def __init__(self, url: str) -> None:
        self.url = url
        parsed = make_url(url)
        self.dialect = parsed.get_backend_name()
        #: The SQLite file (None for PostgreSQL and an in-memory SQLite).
        self.file: Path | None = None
        if self.dialect == "sqlite" and parsed.database not in (None, "", ":memory:"):
            self.file = Path(parsed.database)
        #: Where the database is, for messages: the file, or the URL without its password.
        self.where = str(self.file) if self.file else parsed.render_as_string(hide_password=True)
        self.engine: AsyncEngine = create_async_engine(url, pool_pre_ping=self.dialect != "sqlite")
        if self.dialect == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self.session = async_sessionmaker(self.engine, expire_on_commit=False, class_=AsyncSession)
        self._writer = asyncio.Lock() if self.dialect == "sqlite" else None

    @contextlib.asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """A session in a transaction, for the node's busy writers (status, reports, catalogs).

        SQLite takes one writer at a time and makes the others wait in its busy handler, which
        sleeps (up to 100 ms a turn) and gives up after ``busy_timeout``; so on SQLite these
        writers take turns on an asyncio lock instead, and meet the busy handler only against
        other processes and the node's occasional other writes. PostgreSQL writes concurrently.
        Not re-entrant: a writer holding it must not ask for it again.
        """
        async with contextlib.AsyncExitStack() as stack:
            if self._writer is not None:
                await stack.enter_async_context(self._writer)
            session = await stack.enter_async_context(self.session())
            await stack.enter_async_context(session.begin())
            yield session

    def create_file(self) -> None:
        """Create the SQLite file (0600) and its directory (0700) unless they exist."""
        if self.file is None:
            return
        try:
            self.file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.close(os.open(self.file, os.O_WRONLY | os.O_CREAT, 0o600))
        except OSError as exc:
            raise Unavailable(
                f"cannot create the database at {self.where}: {exc.strerror or exc}"
            ) from None

    async def reachable(self) -> None:
        """Open one connection, or say in one line why the database cannot be opened."""
        try:
            async with self.engine.connect():
                pass
        except (OSError, SQLAlchemyError, TimeoutError) as exc:
            raise Unavailable(f"cannot open the database at {self.where}: {_reason(exc)}") from None

    async def dispose(self) -> None:
        await self.engine.dispose()


def _reason(exc: BaseException) -> str:
    """The driver's own words, on one line."""
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    text = cause.strerror if isinstance(cause, OSError) and cause.strerror else str(cause)
    return " ".join(text.split()) or type(cause).__name__
