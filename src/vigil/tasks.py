"""Ending owned tasks (watchdogs, packagers, senders, periodic jobs) when their owner stops, and
keeping the short tasks a service starts on its own until they end (:class:`OwnedTasks`)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine, Iterator
from typing import Any

__all__ = ["RECANCEL_AFTER", "OwnedTasks", "cancel_and_wait"]

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


class OwnedTasks:
    """Running tasks: :meth:`spawn` adds one, it leaves when done, :meth:`stop` ends them all."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def spawn(self, coroutine: Coroutine[Any, Any, None], name: str) -> None:
        """Run ``coroutine`` as the task ``name`` on the running loop."""
        task = asyncio.get_running_loop().create_task(coroutine, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def __iter__(self) -> Iterator[asyncio.Task[None]]:
        return iter(list(self._tasks))

    async def stop(self) -> None:
        """Cancel every task and wait until all have ended (what they raised is not raised)."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
