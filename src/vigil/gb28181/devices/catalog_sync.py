"""Catalog answers come in pieces: assemble them by (device, SN), with an idle timeout.

A device answers one Catalog query with several Response MESSAGEs, each carrying ``SumNum`` (the
total) and a few items; they may arrive out of order, repeated (UDP retransmission of a MESSAGE
whose 200 was lost) or not at all. :class:`CatalogAssembly` is the pure part: items keyed by their
DeviceID (so a repeat counts once), complete when ``SumNum`` distinct items are in, and a deadline
that moves on with every part. :class:`CatalogSync` waits for it: the caller gets the whole catalog,
or on timeout what arrived (``complete`` False), which is stored all the same.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from vigil.protocols.manscdp import CatalogItem

__all__ = ["MAX_CATALOG_ITEMS", "CatalogAssembly", "CatalogResult", "CatalogSync"]

#: Most items kept from one device's catalog (a large platform lists a few thousand).
MAX_CATALOG_ITEMS = 20_000


@dataclass(frozen=True, slots=True)
class CatalogResult:
    """A device's catalog answer: the items, the SumNum it announced, whether all came."""

    items: tuple[CatalogItem, ...]
    expected: int | None
    complete: bool


@dataclass(slots=True)
class CatalogAssembly:
    """The parts received so far for one query."""

    idle_timeout: float
    deadline: float
    expected: int | None = None
    items: dict[str, CatalogItem] = field(default_factory=dict)
    parts: int = 0

    @classmethod
    def begin(cls, now: float, idle_timeout: float) -> CatalogAssembly:
        return cls(idle_timeout, now + idle_timeout)

    def add(self, sum_num: int | None, items: tuple[CatalogItem, ...], now: float) -> bool:
        """Take one part; True once the catalog is complete."""
        self.parts += 1
        self.deadline = now + self.idle_timeout
        if sum_num is not None and sum_num >= 0:
            self.expected = min(sum_num, MAX_CATALOG_ITEMS)
        for item in items:
            if len(self.items) >= MAX_CATALOG_ITEMS:
                break
            self.items[item.device_id] = item
        return self.complete

    @property
    def complete(self) -> bool:
        return self.expected is not None and len(self.items) >= self.expected

    def result(self) -> CatalogResult:
        return CatalogResult(tuple(self.items.values()), self.expected, self.complete)


@dataclass(slots=True)
class _Pending:
    assembly: CatalogAssembly
    done: asyncio.Event


class CatalogSync:
    """Pending catalog queries: the MESSAGE router feeds parts, callers block in :meth:`wait`."""

    def __init__(self, idle_timeout: float) -> None:
        self.idle_timeout = idle_timeout
        self._pending: dict[tuple[str, int], _Pending] = {}

    def begin(self, device_id: str, sn: int) -> None:
        loop = asyncio.get_running_loop()
        assembly = CatalogAssembly.begin(loop.time(), self.idle_timeout)
        self._pending[(device_id, sn)] = _Pending(assembly, asyncio.Event())

    def feed(
        self, device_id: str, sn: int, sum_num: int | None, items: tuple[CatalogItem, ...]
    ) -> bool:
        """A Response Catalog part; False when no query of ours is waiting for it."""
        pending = self._pending.get((device_id, sn))
        if pending is None:
            # Devices that do not echo the SN: a single pending query for the device takes it.
            mine = [p for (d, _), p in self._pending.items() if d == device_id]
            if len(mine) != 1:
                return False
            pending = mine[0]
        now = asyncio.get_running_loop().time()
        if pending.assembly.add(sum_num, items, now):
            pending.done.set()
        return True

    async def wait(self, device_id: str, sn: int) -> CatalogResult:
        """Until complete, or until no part came for the idle timeout; then forget the query."""
        pending = self._pending[(device_id, sn)]
        loop = asyncio.get_running_loop()
        try:
            while not pending.assembly.complete:
                remaining = pending.assembly.deadline - loop.time()
                if remaining <= 0:
                    break
                try:
                    await asyncio.wait_for(pending.done.wait(), remaining)
                except TimeoutError:
                    continue
            return pending.assembly.result()
        finally:
            self._pending.pop((device_id, sn), None)

    def cancel(self, device_id: str, sn: int) -> None:
        self._pending.pop((device_id, sn), None)
