"""A bounded per-consumer queue: how one producer feeds many consumers without waiting for any.

The producer calls :meth:`Subscription.offer` and never blocks. A consumer that falls ``limit``
items behind is dropped (its queue is discarded, so it holds no memory) and learns why from
:class:`ConsumerDropped` on its next read; the others go on untouched. A consumer must start at a
point it can decode from, so items are ignored until one satisfies ``starts`` (a keyframe).

A consumer whose work per item is short and never waits (the live fMP4 muxer) can take items
as they are offered instead (:meth:`Subscription.deliver_to`): no queue, and no task woken per
item; it still reads the subscription to learn when it ends.

The stream hub uses it for media packets and the live fMP4 muxer for its fragments.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Generic, TypeVar

__all__ = ["ConsumerDropped", "Subscription"]

T = TypeVar("T")

log = logging.getLogger(__name__)


class ConsumerDropped(Exception):
    """The producer ended this subscription: too slow, the source ended, or shutdown."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Subscription(Generic[T]):
    """An async iterator over what the producer offers; ``close`` when done (or ``async with``)."""

    __slots__ = (
        "_deliver",
        "_items",
        "_limit",
        "_on_close",
        "_starts",
        "_waiter",
        "closed",
        "reason",
    )

    def __init__(
        self,
        limit: int,
        starts: Callable[[T], bool],
        on_close: Callable[[Subscription[T]], None] | None = None,
    ) -> None:
        if limit < 1:
            raise ValueError("a subscription needs room for at least one item")
        self._limit = limit
        self._starts: Callable[[T], bool] | None = starts
        self._on_close = on_close
        self._items: deque[T] = deque()
        self._waiter: asyncio.Future[None] | None = None
        self._deliver: Callable[[T], object] | None = None
        self.closed = False
        self.reason: str | None = None

    @property
    def pending(self) -> int:
        return len(self._items)

    @property
    def started(self) -> bool:
        """Whether a starting item (keyframe) has been accepted."""
        return self._starts is None

    def offer(self, item: T) -> bool:
        """Queue one item without blocking; False when this consumer is (now) dropped."""
        if self.closed:
            return False
        if self._starts is not None:
            if not self._starts(item):
                return True
            self._starts = None
        if self._deliver is not None:
            return self._hand_over(self._deliver, item)
        if len(self._items) >= self._limit:
            self.drop(f"slow consumer: {self._limit} items behind")
            return False
        self._items.append(item)
        self._wake()
        return True

    def take(self, limit: int) -> list[T]:
        """Up to ``limit`` items already queued, at once (none: an empty list)."""
        items = self._items
        return [items.popleft() for _ in range(min(limit, len(items)))]

    def deliver_to(self, deliver: Callable[[T], object]) -> None:
        """From now on hand each item to ``deliver`` as it is offered, in the producer's call,
        instead of queueing it (what is queued already goes first). ``deliver`` must not wait
        or take long: it runs inside the producer. If it raises, this subscription is dropped
        with the error as the reason. Iterating the subscription then yields nothing; it ends
        as before, when the producer ends or drops it."""
        self._deliver = deliver
        while self._items and not self.closed:
            self._hand_over(deliver, self._items.popleft())

    def _hand_over(self, deliver: Callable[[T], object], item: T) -> bool:
        try:
            deliver(item)
        except Exception as exc:
            log.exception("consumer failed")
            self.drop(f"consumer failed: {exc!r}")
            return False
        return True

    def prime(self, items: Iterable[T]) -> None:
        """Offer what a late joiner should see first (the current GOP)."""
        for item in items:
            if not self.offer(item):
                return

    def drop(self, reason: str) -> None:
        """End this subscription from the producer's side; the consumer reads ``reason``."""
        if self.closed:
            return
        self.closed = True
        self.reason = reason
        self._items.clear()
        self._wake()

    def close(self) -> None:
        """The consumer leaves; the producer is told through ``on_close`` (once)."""
        if not self.closed:
            self.closed = True
            self._items.clear()
            self._wake()
        on_close, self._on_close = self._on_close, None
        if on_close is not None:
            on_close(self)

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def __aiter__(self) -> Subscription[T]:
        return self

    async def __anext__(self) -> T:
        while not self._items:
            if self.closed:
                if self.reason is not None:
                    raise ConsumerDropped(self.reason)
                raise StopAsyncIteration
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._items.popleft()

    async def __aenter__(self) -> Subscription[T]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
