"""Recording plans kept in the database and cached for the recorders, which ask per packet."""

from __future__ import annotations

from vigil.media.recording.schedule import RecordingSchedule
from vigil.store.database import Database
from vigil.store.models import RecordingPlan

__all__ = ["PlanStore"]


class PlanStore:
    """Reads and writes plans; ``cached`` answers without I/O once ``load`` has run."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._cache: dict[str, RecordingSchedule] = {}

    async def load(self, channel_id: str) -> RecordingSchedule:
        async with self._db.session() as session:
            row = await session.get(RecordingPlan, channel_id)
        schedule = RecordingSchedule.parse(row.mode, row.windows) if row else RecordingSchedule()
        self._cache[channel_id] = schedule
        return schedule

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
        return schedule
