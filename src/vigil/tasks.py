"""Ending owned tasks (watchdogs, packagers, senders, periodic jobs) when their owner stops."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

__all__ = ["RECANCEL_AFTER", "cancel_and_wait"]

#: Seconds a cancelled task has to end before it is cancelled again.
RECANCEL_AFTER = 1.0


async def cancel_and_wait(*tasks: asyncio.Task[Any] | None) -> None:
    """Cancel every task, then wait for each to end (its cancellation is not an error).

    None is passed over, and so is the task running this: a stop reached from inside the task it
    would end cannot wait for itself.
    """
    current = asyncio.current_task()
    ending = [task for task in tasks if task is not None and task is not current]
    for task in ending:
        task.cancel()
    for task in ending:
        # Python 3.11's wait_for can swallow a cancellation that meets its inner future's
        # result (a task then goes on as if never cancelled): cancel again until it ends.
        while not (await asyncio.wait({task}, timeout=RECANCEL_AFTER))[0]:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
