"""The pool of RTP ports (``VIGIL_RTP_PORTS``): one port per stream, always given back.

Ports are handed out round-robin, so a port just released is the last to be reused: packets a
camera keeps sending after BYE then land on a closed port instead of in a new stream. A port that
turns out to be taken by another process is skipped by :meth:`PortPool.bind` and tried again
later.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable
from typing import TypeVar

from vigil.media.sources.base import SourceError

__all__ = ["PortPool"]

T = TypeVar("T")


class PortPool:
    """Ports ``low..high`` inclusive; ``acquire`` and ``release`` must pair on every path."""

    def __init__(self, low: int, high: int) -> None:
        if not 0 < low <= high <= 65535:
            raise ValueError(f"bad port range {low}-{high}")
        self.low, self.high = low, high
        self._free: deque[int] = deque(range(low, high + 1))
        self._used: set[int] = set()

    @property
    def in_use(self) -> frozenset[int]:
        return frozenset(self._used)

    @property
    def size(self) -> int:
        return self.high - self.low + 1

    def acquire(self) -> int:
        if not self._free:
            raise SourceError(f"no free RTP port in {self.low}-{self.high}")
        port = self._free.popleft()
        self._used.add(port)
        return port

    def release(self, port: int) -> None:
        if port not in self._used:
            raise ValueError(f"RTP port {port} is not in use")
        self._used.remove(port)
        self._free.append(port)

    async def bind(
        self, open_on: Callable[[int], Awaitable[T]], attempts: int = 16
    ) -> tuple[int, T]:
        """Acquire a port and open something on it; a port busy elsewhere is skipped.

        Returns the port (still acquired: the caller releases it when done) and what ``open_on``
        returned. Raises :class:`SourceError` when no port could be bound.
        """
        last: OSError | None = None
        for _ in range(min(attempts, self.size)):
            port = self.acquire()
            try:
                return port, await open_on(port)
            except OSError as exc:
                last = exc
                self.release(port)
        raise SourceError(f"could not bind an RTP port in {self.low}-{self.high}: {last}")
