"""The event bus: typed events published by services, consumed by whoever subscribes.

Subjects are dotted and support NATS-style wildcards (``*`` one token, ``>`` the rest), so the
in-process bus here and a NATS JetStream bus for the cluster can share subscribers unchanged.
A slow or failing handler never blocks a publisher: each subscription has its own bounded queue
and task, and an overflowing queue drops the oldest event and counts the drop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, Protocol

__all__ = ["CatalogChanged", "Event", "EventBus", "InProcessBus", "Subscription", "subject_matches"]

log = logging.getLogger(__name__)

Handler = Callable[["Event"], Awaitable[None]]


@dataclass(frozen=True, kw_only=True)
class Event:
    """Base of every event; subclasses set ``subject_prefix`` and carry their own fields."""

    subject_prefix: ClassVar[str] = "vigil"
    at: Any = field(default_factory=lambda: datetime.now(UTC))

    @property
    def subject(self) -> str:
        return self.subject_prefix


@dataclass(frozen=True, kw_only=True)
class CatalogChanged(Event):
    """An organisation, device or channel was created, updated or deleted."""

    subject_prefix: ClassVar[str] = "catalog"
    entity: str
    id: str
    op: str

    @property
    def subject(self) -> str:
        return f"catalog.{self.entity}.{self.op}"


def subject_matches(pattern: str, subject: str) -> bool:
    """NATS subject matching: ``*`` matches one token, a final ``>`` one or more."""
    pattern_tokens, subject_tokens = pattern.split("."), subject.split(".")
    for index, token in enumerate(pattern_tokens):
        if token == ">":
            return len(subject_tokens) > index
        if index >= len(subject_tokens) or token not in ("*", subject_tokens[index]):
            return False
    return len(pattern_tokens) == len(subject_tokens)


class EventBus(Protocol):
    """What services depend on; the NATS JetStream implementation fills the same shape."""

    async def publish(self, event: Event) -> None: ...

    def subscribe(
        self, pattern: str, handler: Handler, *, queue_size: int = 1000
    ) -> Subscription: ...

    async def close(self) -> None: ...


@dataclass(eq=False)
class Subscription:
    """One subscriber: its pattern, its queue and the task draining it."""

    pattern: str
    handler: Handler
    queue: asyncio.Queue[Event]
    task: asyncio.Task[None] | None = None
    dropped: int = 0

    def offer(self, event: Event) -> None:
        if self.queue.full():
            self.queue.get_nowait()
            self.dropped += 1
        self.queue.put_nowait(event)

    async def run(self) -> None:
        while True:
            event = await self.queue.get()
            try:
                await self.handler(event)
            except Exception:
                log.exception("event handler failed", extra={"subject": event.subject})


class InProcessBus:
    """The embedded profile's bus: fan-out inside one process."""

    def __init__(self) -> None:
        self._subscriptions: list[Subscription] = []

    async def publish(self, event: Event) -> None:
        subject = event.subject
        for subscription in self._subscriptions:
            if subject_matches(subscription.pattern, subject):
                subscription.offer(event)

    def subscribe(self, pattern: str, handler: Handler, *, queue_size: int = 1000) -> Subscription:
        subscription = Subscription(pattern, handler, asyncio.Queue(maxsize=queue_size))
        subscription.task = asyncio.get_running_loop().create_task(
            subscription.run(), name=f"bus.subscriber:{pattern}"
        )
        self._subscriptions.append(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        self._subscriptions.remove(subscription)
        if subscription.task is not None:
            subscription.task.cancel()

    async def close(self) -> None:
        tasks = [s.task for s in self._subscriptions if s.task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._subscriptions.clear()
