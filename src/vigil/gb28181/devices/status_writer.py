"""Write-behind for what registrations and keepalives change: batched, off the answer path.

A keepalive must be answered at once and must not cost a database transaction each: 10,000
devices at a 60 s interval are 167 a second. Changes are queued here and written by one named task
in one transaction per batch (written again while the database is busy, see
:func:`retry_busy`): transitions (an event row and the device's online flag) within
``URGENT_DELAY`` seconds, keepalive times every ``interval`` seconds. After a batch commits, its
transitions are published on the bus, so a subscriber that reads the database sees them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from vigil.bus import EventBus
from vigil.gb28181.devices.events import DeviceStatusChanged
from vigil.gb28181.devices.presence import Transition
from vigil.store.database import Database
from vigil.store.models import Device, DeviceStatusEvent, GbRegistration
from vigil.store.retry import retry_busy

__all__ = ["StatusWriter"]

log = logging.getLogger(__name__)

#: Seconds to gather transitions before writing them (a mass registration becomes few batches).
URGENT_DELAY = 0.05
#: Seconds a stop may spend retrying a busy database before it gives up on the queue.
STOP_DEADLINE = 30.0


@dataclass(frozen=True, slots=True)
class _Batch:
    """What one flush writes, taken off the queues at once."""

    ids: set[str]
    events: list[tuple[Transition, datetime]]
    online: dict[str, bool]
    address: dict[str, tuple[str, str, int]]
    version: dict[str, str | None]
    registration: dict[str, dict[str, object]]
    heard: dict[str, datetime]


class StatusWriter:
    """Queues device changes; :meth:`run` (one task) writes them. See the module docstring."""

    def __init__(self, db: Database, bus: EventBus, interval: float = 1.0) -> None:
        self._db = db
        self._bus = bus
        self._interval = interval
        self._events: list[tuple[Transition, datetime]] = []
        self._online: dict[str, bool] = {}
        self._address: dict[str, tuple[str, str, int]] = {}
        self._version: dict[str, str | None] = {}
        self._registration: dict[str, dict[str, object]] = {}
        self._heard: dict[str, datetime] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def start(self) -> None:
        self._stopping = False
        self._task = asyncio.get_running_loop().create_task(self.run(), name="gb.status-writer")

    async def stop(self) -> None:
        """Let the task finish its batch, then write what is queued (a busy database is tried
        again for up to STOP_DEADLINE seconds)."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            await self._task
            self._task = None
        await self.flush(deadline=asyncio.get_running_loop().time() + STOP_DEADLINE)

    def transition(self, transition: Transition, at: datetime) -> None:
        self._events.append((transition, at))
        self._online[transition.device_id] = transition.online
        self._wake.set()

    def address(self, device_id: str, transport: str, host: str, port: int) -> None:
        self._address[device_id] = (transport, host, port)
        self._wake.set()

    def registered(
        self,
        device_id: str,
        *,
        gb_version: str | None,
        contact: str | None,
        at: datetime,
        expires_at: datetime | None,
    ) -> None:
        self._version[device_id] = gb_version
        self._registration[device_id] = {
            "contact": contact[:255] if contact else None,
            "registered_at": at,
            "expires_at": expires_at,
        }
        self._wake.set()

    def heard(self, device_id: str, at: datetime) -> None:
        self._heard[device_id] = at

    async def run(self) -> None:
        while not self._stopping:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._interval)
                await asyncio.sleep(URGENT_DELAY)
            self._wake.clear()
            try:
                await self.flush()
            except Exception:
                log.exception("device status write failed; the batch is dropped")

    async def flush(self, deadline: float | None = None) -> None:
        """Write everything queued in one transaction (again while the database is busy, until
        ``deadline``), then publish the transitions."""
        events, self._events = self._events, []
        online, self._online = self._online, {}
        address, self._address = self._address, {}
        version, self._version = self._version, {}
        registration, self._registration = self._registration, {}
        heard, self._heard = self._heard, {}
        ids = {
            *online,
            *address,
            *version,
            *registration,
            *heard,
            *(t.device_id for t, _ in events),
        }
        if not ids:
            return

        batch = _Batch(ids, events, online, address, version, registration, heard)

        async def write() -> None:
            async with self._db.write() as session:
                await self._write(session, batch)

        await retry_busy(write, what="device status", deadline=deadline)
        for transition, at in events:
            await self._bus.publish(
                DeviceStatusChanged(
                    at=at,
                    device_id=transition.device_id,
                    online=transition.online,
                    reason=transition.reason,
                    address=transition.address,
                )
            )

    async def _write(self, session: AsyncSession, batch: _Batch) -> None:
        ids = batch.ids
        known = set((await session.scalars(select(Device.id).where(Device.id.in_(ids)))).all())
        rows: dict[str, dict[str, object]] = {i: {} for i in known}
        for device_id, flag in batch.online.items():
            rows.get(device_id, {})["online"] = flag
        for device_id, (transport, host, port) in batch.address.items():
            rows.get(device_id, {}).update(transport=transport, host=host, port=port)
        for device_id, gb_version in batch.version.items():
            rows.get(device_id, {})["gb_version"] = gb_version
        for device_id, at in batch.heard.items():
            rows.get(device_id, {})["last_keepalive"] = at
        await _update_devices(session, rows)
        await self._write_registrations(session, batch.registration, known)
        status_rows = [
            {
                "device_id": t.device_id,
                "at": at,
                "online": t.online,
                "reason": t.reason,
                "address": t.address[:64],
            }
            for t, at in batch.events
            if t.device_id in known
        ]
        if status_rows:
            await session.execute(insert(DeviceStatusEvent), status_rows)

    @staticmethod
    async def _write_registrations(
        session: AsyncSession, registration: dict[str, dict[str, object]], known: set[str]
    ) -> None:
        wanted = [device_id for device_id in registration if device_id in known]
        if not wanted:
            return
        present = set(
            (
                await session.scalars(
                    select(GbRegistration.device_id).where(GbRegistration.device_id.in_(wanted))
                )
            ).all()
        )
        for device_id in wanted:
            values = registration[device_id]
            if device_id in present:
                await session.execute(
                    update(GbRegistration)
                    .where(GbRegistration.device_id == device_id)
                    .values(values)
                )
            else:
                session.add(GbRegistration(device_id=device_id, **values))


async def _update_devices(session: AsyncSession, rows: dict[str, dict[str, object]]) -> None:
    """One executemany UPDATE per set of changed columns, not one statement per device."""
    groups: dict[tuple[str, ...], list[dict[str, object]]] = {}
    for device_id, values in rows.items():
        if values:
            params = {f"v_{name}": value for name, value in values.items()}
            groups.setdefault(tuple(sorted(values)), []).append({"v_id": device_id, **params})
    table = Device.__table__
    assert isinstance(table, Table)
    for columns, params_list in groups.items():
        statement = (
            update(table)
            .where(table.c.id == bindparam("v_id"))
            .values({name: bindparam(f"v_{name}") for name in columns})
        )
        await session.execute(statement, params_list)
