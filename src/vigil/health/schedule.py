"""The diagnosis schedule: a round for every channel whose device is online, every ``interval``.

Every ``ptz_every``-th scheduled round of a PTZ channel also checks its PTZ (see
:meth:`~vigil.health.service.AvailabilityService.ptz_due`). A round that fails is logged and the
schedule goes on with the next channel. Only a serving node runs it (``serve``, ``demo``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Protocol

from sqlalchemy import select

from vigil.store.database import Database
from vigil.store.models import Channel, Device

__all__ = ["Diagnoser", "DiagnosisSchedule"]

log = logging.getLogger(__name__)


class Diagnoser(Protocol):
    """What the schedule runs: the availability service's rounds and PTZ checks."""

    interval: float

    async def run_round(self, channel_id: str) -> object: ...

    async def run_ptz_check(self, channel_id: str) -> object: ...

    def ptz_due(self, channel_id: str, ptz_type: int | None) -> bool: ...


class DiagnosisSchedule:
    """Runs the rounds of every online channel, one channel at a time, until stopped."""

    def __init__(self, diagnoser: Diagnoser, db: Database) -> None:
        self._diagnoser = diagnoser
        self._db = db
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="health.schedule")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._diagnoser.interval)
            for channel_id, ptz_type in await self._online_channels():
                try:
                    await self._diagnoser.run_round(channel_id)
                    if self._diagnoser.ptz_due(channel_id, ptz_type):
                        await self._diagnoser.run_ptz_check(channel_id)
                except Exception:
                    log.exception("diagnosis round failed", extra={"channel": channel_id})

    async def _online_channels(self) -> list[tuple[str, int | None]]:
        async with self._db.session() as session:
            rows = await session.execute(
                select(Channel.id, Channel.ptz_type)
                .join(Device, Device.id == Channel.device_id)
                .where(Device.online.is_(True))
                .order_by(Channel.id)
            )
            return [(channel_id, ptz_type) for channel_id, ptz_type in rows]
