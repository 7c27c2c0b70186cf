"""The work a device coming online triggers: DeviceInfo, then its catalog, then subscriptions.

It runs in a fixed pool of named workers fed by a queue (a device queued once however often it is
asked for), so a mass re-registration after a restart is paced, not a storm.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from vigil.errors import Conflict
from vigil.gb28181.devices.device_records import DeviceRecords
from vigil.gb28181.devices.device_subscriptions import Subscriptions
from vigil.protocols.manscdp import Addressed, DeviceInfoQuery, DeviceInfoResponse, Response

__all__ = ["SETUP_WORKERS", "DeviceSetup"]

log = logging.getLogger(__name__)

#: Workers running post-registration work (DeviceInfo, Catalog, subscriptions).
SETUP_WORKERS = 8

Query = Callable[[str, Addressed], Awaitable[Response]]
SyncCatalog = Callable[[str], Awaitable[object]]


class DeviceSetup:
    """The queue and workers of post-registration work; see the module docstring."""

    def __init__(
        self,
        records: DeviceRecords,
        subscriptions: Subscriptions,
        query: Query,
        sync_catalog: SyncCatalog,
        next_sn: Callable[[], int],
    ) -> None:
        self._records = records
        self._subscriptions = subscriptions
        self._query = query
        self._sync_catalog = sync_catalog
        self._next_sn = next_sn
        self._queue: asyncio.Queue[str] = asyncio.Queue()
        self._queued: set[str] = set()
        self._workers: list[asyncio.Task[None]] = []

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """Start the workers on ``loop``."""
        self._workers = [
            loop.create_task(self._worker(), name=f"gb.setup-worker:{i}")
            for i in range(SETUP_WORKERS)
        ]

    def tasks(self) -> list[asyncio.Task[None]]:
        """The workers, for the service to cancel and await when it stops."""
        return list(self._workers)

    def enqueue(self, device_id: str) -> None:
        """Queue ``device_id``'s setup unless it is queued already."""
        if device_id not in self._queued:
            self._queued.add(device_id)
            self._queue.put_nowait(device_id)

    async def _worker(self) -> None:
        while True:
            device_id = await self._queue.get()
            self._queued.discard(device_id)
            try:
                await self._setup(device_id)
            except (TimeoutError, Conflict) as exc:
                log.info(
                    "device setup incomplete", extra={"device_id": device_id, "error": str(exc)}
                )
            except Exception:
                log.exception("device setup failed", extra={"device_id": device_id})

    async def _setup(self, device_id: str) -> None:
        """After a fresh registration: DeviceInfo, then the catalog, then subscriptions."""
        info = await self._query(
            device_id, DeviceInfoQuery(sn=self._next_sn(), device_id=device_id)
        )
        if isinstance(info, DeviceInfoResponse):
            values = {
                "name": info.device_name,
                "manufacturer": info.manufacturer,
                "model": info.model,
                "firmware": info.firmware,
            }
            await self._records.update_info(
                device_id, {k: v[: 128 if k == "name" else 64] for k, v in values.items() if v}
            )
        await self._sync_catalog(device_id)
        await self._subscriptions.subscribe_all(device_id)
