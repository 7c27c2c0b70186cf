"""Recording plans kept in the database and cached for the recorders, which ask per packet.

A saved plan is announced to whoever watches (:meth:`PlanStore.watch`: the auto-recorder, which
starts or stops the channel's recording at once).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from vigil.media.recording.schedule import RecordingSchedule
from vigil.store.database import Database
from vigil.store.models import RecordingPlan

__all__ = ["PlanStore", "PlanWatcher"]

PlanWatcher = Callable[[str, RecordingSchedule], None]
"""Told ``(channel_id, schedule)`` after a plan is saved; must not block."""


class PlanStore:
    """Reads and writes plans; ``cached`` answers without I/O once ``load`` has run."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._cache: dict[str, RecordingSchedule] = {}
        self._watchers: list[PlanWatcher] = []

    def watch(self, watcher: PlanWatcher) -> None:
        self._watchers.append(watcher)

    async def load(self, channel_id: str) -> RecordingSchedule:
        async with self._db.session() as session:
            row = await session.get(RecordingPlan, channel_id)
        schedule = RecordingSchedule.parse(row.mode, row.windows) if row else RecordingSchedule()
        self._cache[channel_id] = schedule
        return schedule

    async def ensure(self, channel_id: str) -> RecordingSchedule:
        """The cached plan, loaded first if it never was (a save keeps the cache current)."""
        cached = self._cache.get(channel_id)
        return cached if cached is not None else await self.load(channel_id)

    async def load_all(self) -> list[str]:
        """Load every plan row (one query); the channels that have one."""
        async with self._db.session() as session:
            rows = (await session.scalars(select(RecordingPlan))).all()
        for row in rows:
            self._cache[row.channel_id] = RecordingSchedule.parse(row.mode, row.windows)
        return [row.channel_id for row in rows]

    def cached(self, channel_id: str) -> RecordingSchedule:
        """The plan as last loaded or saved; continuous for a channel never loaded."""
        return self._cache.get(channel_id, RecordingSchedule())

    async def save(self, channel_id: str, schedule: RecordingSchedule) -> RecordingSchedule:
        windows = [w.as_dict() for w in schedule.windows]
        async with self._db.session() as session, session.begin():
            row = await session.get(RecordingPlan, channel_id)
            if row is None:
                session.add(
                    RecordingPlan(channel_id=channel_id, mode=schedule.mode.value, windows=windows)
                )
            else:
                row.mode, row.windows = schedule.mode.value, windows
        self._cache[channel_id] = schedule
        for watcher in self._watchers:
            watcher(channel_id, schedule)
        return schedule
