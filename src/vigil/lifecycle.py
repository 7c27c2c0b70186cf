"""One lifecycle for a node's long-running services: started in order, stopped in reverse.

The composition root (:class:`vigil.app.Vigil`) lists its services here in the order they start;
they stop in the reverse order, so a service stops before what it depends on (a GB stream's BYE
goes out before the SIP endpoint closes). Each service's state is kept for ``/api/v1/health``.
A service that fails to start is ``failed``, and every service is stopped again (what the failed
one had opened included: a service's stop is safe to repeat). One that fails to stop is
``failed`` too; the rest still stop, and the first error is raised after. A stop that runs past
its time limit counts as failed (a :class:`StopTimeout`): a node always stops, and the service
that hung is named.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

__all__ = ["STOP_LIMIT", "Lifecycle", "Service", "State", "Steps", "StopTimeout"]

log = logging.getLogger(__name__)

#: Seconds one service's stop may take (the longest of them sends BYEs, each given 5 s at most).
STOP_LIMIT = 20.0


class StopTimeout(TimeoutError):
    """A service's stop ran past the lifecycle's limit."""


class State(enum.StrEnum):
    """Where a service stands."""

    stopped = "stopped"
    starting = "starting"
    running = "running"
    stopping = "stopping"
    failed = "failed"


class Service(Protocol):
    """A long-running service: ``start`` opens what it needs, ``stop`` releases all of it."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


async def _nothing() -> None:
    return None


@dataclass(frozen=True)
class Steps:
    """A service given as its two steps, for a class whose start or stop is not its own method
    (nothing to open at start: sessions it runs are opened on request and closed at stop)."""

    start: Callable[[], Awaitable[None]] = _nothing
    stop: Callable[[], Awaitable[None]] = _nothing


@dataclass
class _Entry:
    name: str
    service: Service | Steps
    serving: bool
    state: State = State.stopped


class Lifecycle:
    """The node's services in start order, each with its state."""

    def __init__(self, *, stop_limit: float = STOP_LIMIT) -> None:
        self._entries: list[_Entry] = []
        self._stop_limit = stop_limit

    def add(self, name: str, service: Service | Steps, *, serving: bool = False) -> None:
        """Start ``service`` after those added before it; ``serving``: only a serving node's
        start (:meth:`start` with ``serving=True``) starts it."""
        if any(entry.name == name for entry in self._entries):
            raise ValueError(f"service {name!r} is listed twice")
        self._entries.append(_Entry(name, service, serving))

    def states(self) -> dict[str, State]:
        """Each service's state, in start order."""
        return {entry.name: entry.state for entry in self._entries}

    async def start(self, *, serving: bool) -> None:
        """Start the services in order (``serving=False``: those a serving node alone runs stay
        stopped); when one fails, stop those started and raise its error."""
        for entry in self._entries:
            if entry.serving and not serving:
                continue
            entry.state = State.starting
            try:
                await entry.service.start()
            except BaseException:
                entry.state = State.failed
                await self.stop()
                raise
            entry.state = State.running

    async def stop(self) -> None:
        """Stop every service, last first: a started one goes through ``stopping`` to
        ``stopped`` (or ``failed``); one that was not started is told to stop all the same, as
        stopping is safe to repeat and releases a part that a test started by hand."""
        first: BaseException | None = None
        for entry in reversed(self._entries):
            started = entry.state in (State.running, State.starting)
            if started:
                entry.state = State.stopping
            try:
                await self._stop_one(entry)
            except Exception as exc:
                log.exception("service failed to stop", extra={"service": entry.name})
                entry.state = State.failed
                first = first or exc
            else:
                if started:
                    entry.state = State.stopped
        if first is not None:
            raise first

    async def _stop_one(self, entry: _Entry) -> None:
        try:
            async with asyncio.timeout(self._stop_limit):
                await entry.service.stop()
        except TimeoutError as exc:
            raise StopTimeout(
                f"service {entry.name!r} did not stop within {self._stop_limit:g} s"
            ) from exc
