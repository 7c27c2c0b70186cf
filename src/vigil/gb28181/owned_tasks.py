"""The tasks a service starts on its own (answers sent later, retransmissions, request handlers),
kept until they end and cancelled when the service stops."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator
from typing import Any

__all__ = ["OwnedTasks"]


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
