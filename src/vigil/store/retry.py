"""Write again when the database is busy: SQLite's "database is locked", a dropped connection.

A write-behind queue (device status, reports) must not lose its batch because another writer held
the lock longer than the busy timeout. :func:`retry_busy` runs the whole transaction again after a
doubling pause, logging each retry, until it commits or ``deadline`` (loop time) passes. Only
``OperationalError`` is retried: a constraint or data error would fail the same way again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.exc import OperationalError

__all__ = ["FIRST_DELAY", "MAX_DELAY", "retry_busy"]

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Seconds before the first retry; doubled each time up to MAX_DELAY.
FIRST_DELAY = 0.05
MAX_DELAY = 2.0


async def retry_busy(
    write: Callable[[], Awaitable[T]], *, what: str, deadline: float | None = None
) -> T:
    """``await write()`` until it does not raise OperationalError; re-raise past ``deadline``."""
    loop = asyncio.get_running_loop()
    delay = FIRST_DELAY
    tries = 1
    while True:
        try:
            return await write()
        except OperationalError as exc:
            if deadline is not None and loop.time() + delay > deadline:
                raise
            log.warning(
                "database busy; the write is tried again",
                extra={"what": what, "tries": tries, "delay_s": delay, "error": str(exc.orig)},
            )
        await asyncio.sleep(delay)
        delay = min(delay * 2, MAX_DELAY)
        tries += 1
