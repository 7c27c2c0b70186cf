"""Wait for the next item of an async iterator, giving up after a time without one: cheaply.

The recorder waits for every frame of every recorded stream with a time limit (when a stream
goes quiet its open segment is closed). ``asyncio.timeout`` around each wait arms and cancels a
timer per frame, about 4 µs; at hundreds of streams that is a visible share of a core. Here one
timer per consumer is armed at most once per ``limit`` of steady streaming: each wait only notes
when it began; when the timer fires it checks whether the current wait is really that old,
re-arms for the rest if not, and cancels the waiting task if so, which :meth:`IdleWait.next`
turns into ``TimeoutError`` the way ``asyncio.timeout`` does (an outside cancellation is left
alone). As with ``asyncio.timeout``, the iterator's ``anext`` must be safe to cancel.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Generic, TypeVar

__all__ = ["IdleWait"]

T = TypeVar("T")


class IdleWait(Generic[T]):
    """``await wait.next()``: the iterator's next item, or TimeoutError after ``limit`` seconds.

    Use from one task; :meth:`close` when done (it drops the timer).
    """

    def __init__(self, iterator: AsyncIterator[T], limit: float) -> None:
        self._iterator = iterator
        self.limit = limit
        self._loop = asyncio.get_running_loop()
        self._task: asyncio.Task[object] | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._started = 0.0
        self._waiting = False
        self._expired = False

    async def next(self) -> T:
        """The next item; StopAsyncIteration at the end; TimeoutError after ``limit`` without."""
        if self._task is None:
            self._task = asyncio.current_task()
        self._started = self._loop.time()
        self._waiting = True
        if self._timer is None:
            self._timer = self._loop.call_at(self._started + self.limit, self._check)
        try:
            return await anext(self._iterator)
        except asyncio.CancelledError:
            if self._expired:
                self._expired = False
                assert self._task is not None
                if self._task.uncancel() == 0:
                    raise TimeoutError from None
            raise
        finally:
            self._waiting = False

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _check(self) -> None:
        self._timer = None
        if not self._waiting or self._task is None:
            return  # the next wait arms the timer again
        due = self._started + self.limit
        if self._loop.time() < due:
            self._timer = self._loop.call_at(due, self._check)
            return
        self._expired = True
        self._task.cancel()
