"""The recording index: segment and gap rows, read and written by the recorder, playback,
export, retention and evidence locks.

Ranges are half-open ``[start, end)`` in UTC; a row belongs to a range when it overlaps it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import delete, func, select, update

from vigil.media.packet import StreamKey
from vigil.media.recording.segmenter import ClosedSegment
from vigil.store.database import Database
from vigil.store.models import RecordingGap, RecordingSegment
from vigil.store.queries.retention import in_class, lock_released

__all__ = ["RecordingIndex", "utc"]

_Span = TypeVar("_Span", RecordingSegment, RecordingGap)


def utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


class RecordingIndex:
    """Reads and writes the segment and gap rows that say what is recorded where."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add_segment(self, closed: ClosedSegment) -> RecordingSegment:
        row = RecordingSegment(
            channel_id=closed.key.channel_id,
            stream=closed.key.stream,
            start=utc(closed.start),
            end=utc(closed.end),
            size=closed.size,
            codec=closed.codec.value,
            sha256=closed.sha256,
            path=closed.path.as_posix(),
            locked=False,
        )
        async with self._db.session() as session, session.begin():
            session.add(row)
        return row

    async def add_gap(self, key: StreamKey, start: float, end: float, cause: str) -> RecordingGap:
        row = RecordingGap(
            channel_id=key.channel_id,
            stream=key.stream,
            start=utc(start),
            end=utc(end),
            cause=cause,
        )
        async with self._db.session() as session, session.begin():
            session.add(row)
        return row

    async def last_end(self, key: StreamKey) -> datetime | None:
        """Where this stream's recording last stopped (the latest segment end)."""
        async with self._db.session() as session:
            return await session.scalar(
                select(func.max(RecordingSegment.end)).where(
                    RecordingSegment.channel_id == key.channel_id,
                    RecordingSegment.stream == key.stream,
                )
            )

    async def segments(
        self, channel_id: str, start: datetime, end: datetime, stream: int = 0
    ) -> list[RecordingSegment]:
        return await self._overlapping(RecordingSegment, channel_id, start, end, stream)

    async def gaps(
        self, channel_id: str, start: datetime, end: datetime, stream: int = 0
    ) -> list[RecordingGap]:
        return await self._overlapping(RecordingGap, channel_id, start, end, stream)

    async def _overlapping(
        self, model: type[_Span], channel_id: str, start: datetime, end: datetime, stream: int
    ) -> list[_Span]:
        """The ``model`` rows of the stream that overlap ``[start, end)``, in start order."""
        query = (
            select(model)
            .where(
                model.channel_id == channel_id,
                model.stream == stream,
                model.start < end,
                model.end > start,
            )
            .order_by(model.start)
        )
        async with self._db.session() as session:
            return list((await session.scalars(query)).all())

    async def total_size(self) -> int:
        """Bytes of every indexed segment, locked or not."""
        async with self._db.session() as session:
            total = await session.scalar(select(func.coalesce(func.sum(RecordingSegment.size), 0)))
        return int(total or 0)

    async def known_paths(self, paths: Iterable[str]) -> set[str]:
        wanted = list(paths)
        known: set[str] = set()
        async with self._db.session() as session:
            for at in range(0, len(wanted), 500):
                batch = wanted[at : at + 500]
                rows = await session.scalars(
                    select(RecordingSegment.path).where(RecordingSegment.path.in_(batch))
                )
                known.update(rows)
        return known

    async def oldest_unlocked(
        self,
        limit: int,
        ended_before: datetime | None = None,
        *,
        now: datetime | None = None,
        retention_class: str | None = None,
    ) -> list[RecordingSegment]:
        """Candidates for retention: oldest first, never a segment whose lock holds at ``now``
        (None: any lock holds); only ``retention_class``'s channels when given."""
        query = (
            select(RecordingSegment)
            .where(lock_released(now))
            .order_by(RecordingSegment.end, RecordingSegment.id)
            .limit(limit)
        )
        if ended_before is not None:
            query = query.where(RecordingSegment.end < ended_before)
        if retention_class is not None:
            query = query.where(in_class(retention_class))
        async with self._db.session() as session:
            return list((await session.scalars(query)).all())

    async def delete_unlocked(self, ids: Sequence[int], now: datetime | None = None) -> set[int]:
        """Delete these rows unless a lock holds at ``now`` (set meanwhile); the IDs deleted."""
        if not ids:
            return set()
        condition = RecordingSegment.id.in_(list(ids)) & lock_released(now)
        statement = delete(RecordingSegment).where(condition).returning(RecordingSegment.id)
        async with self._db.session() as session, session.begin():
            return set((await session.scalars(statement)).all())

    async def set_locked(
        self,
        channel_id: str,
        start: datetime,
        end: datetime,
        locked: bool,
        case: str | None = None,
        expires_at: datetime | None = None,
    ) -> list[int]:
        """Lock (for ``case``, until ``expires_at`` or for good) or unlock every segment of the
        channel overlapping the range; their IDs."""
        overlap = (
            (RecordingSegment.channel_id == channel_id)
            & (RecordingSegment.start < end)
            & (RecordingSegment.end > start)
        )
        async with self._db.session() as session, session.begin():
            ids = list((await session.scalars(select(RecordingSegment.id).where(overlap))).all())
            if ids:
                await session.execute(
                    update(RecordingSegment)
                    .where(RecordingSegment.id.in_(ids))
                    .values(
                        locked=locked,
                        lock_case=case if locked else None,
                        lock_expires_at=expires_at if locked else None,
                    )
                )
        return sorted(ids)
