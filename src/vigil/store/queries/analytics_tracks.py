"""The analytics events store's statements: open and close tracks, list them, expire them.

Organisation scopes are applied here as SQL: a track belongs to its channel's organisation.
``scope_paths`` has ``Principal.scope_paths``'s meaning (None: every organisation; empty: none).
Lists are newest first by ``id`` (rows are written when a track starts, so that is also the order
of their start) with a keyset cursor: the last ``id`` of the page before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, select, update

from vigil.store.database import Database
from vigil.store.models import AnalyticsTrack
from vigil.store.queries.rows import get_within, insert_id, newest_page, on_channels_under

__all__ = [
    "TrackFilter",
    "close_track",
    "delete_tracks_before",
    "get_track",
    "insert_track",
    "list_tracks",
]


@dataclass(frozen=True, slots=True)
class TrackFilter:
    """What a list keeps; None: any. ``since``/``until`` bound the start time, [since, until);
    the attributes (``vehicle_type``, a vehicle's ``colour``, a person's ``upper_colour`` and
    ``lower_colour``) match their columns exactly."""

    channel_id: str | None = None
    label: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    vehicle_type: str | None = None
    colour: str | None = None
    upper_colour: str | None = None
    lower_colour: str | None = None


def _under(paths: tuple[str, ...] | None) -> ColumnElement[bool]:
    """Tracks on channels filed under one of ``paths`` (None: anywhere; empty: nowhere)."""
    return on_channels_under(AnalyticsTrack.channel_id, paths)


async def insert_track(db: Database, values: dict[str, Any]) -> int:
    """Store a track that started (``ended_at`` null); its row id."""
    return await insert_id(db, AnalyticsTrack, values)


async def close_track(db: Database, row_id: int, values: dict[str, Any]) -> bool:
    """Complete a track's row when it ended; False when the row is gone (expired meanwhile)."""
    statement = update(AnalyticsTrack).where(AnalyticsTrack.id == row_id).values(**values)
    async with db.write() as session:
        return bool((await session.execute(statement)).rowcount)  # type: ignore[attr-defined]


async def get_track(
    db: Database, row_id: int, scope_paths: tuple[str, ...] | None
) -> AnalyticsTrack | None:
    """The track if it exists within the scope."""
    return await get_within(db, AnalyticsTrack, row_id, _under(scope_paths))


async def list_tracks(
    db: Database,
    kept: TrackFilter,
    scope_paths: tuple[str, ...] | None,
    after: int | None,
    limit: int,
) -> list[AnalyticsTrack]:
    """Tracks in the scope, newest first, below the cursor ``after``."""
    conditions: list[ColumnElement[bool]] = [_under(scope_paths)]
    if kept.channel_id is not None:
        conditions.append(AnalyticsTrack.channel_id == kept.channel_id)
    if kept.label is not None:
        conditions.append(AnalyticsTrack.label == kept.label)
    if kept.since is not None:
        conditions.append(AnalyticsTrack.started_at >= kept.since)
    if kept.until is not None:
        conditions.append(AnalyticsTrack.started_at < kept.until)
    for column, value in (
        (AnalyticsTrack.vehicle_type, kept.vehicle_type),
        (AnalyticsTrack.colour, kept.colour),
        (AnalyticsTrack.upper_colour, kept.upper_colour),
        (AnalyticsTrack.lower_colour, kept.lower_colour),
    ):
        if value is not None:
            conditions.append(column == value)
    query = select(AnalyticsTrack).where(*conditions)
    return await newest_page(db, AnalyticsTrack, query, after, limit)


async def delete_tracks_before(db: Database, cutoff: datetime, batch: int) -> list[str | None]:
    """Delete at most ``batch`` tracks that started before ``cutoff`` (oldest first); the crop
    paths of those deleted (one entry per row, None where it had none), for their files to go."""
    query = (
        select(AnalyticsTrack.id, AnalyticsTrack.crop_path)
        .where(AnalyticsTrack.started_at < cutoff)
        .order_by(AnalyticsTrack.started_at)
        .limit(batch)
    )
    async with db.write() as session:
        rows: Sequence[Any] = (await session.execute(query)).all()
        if rows:
            ids = [row[0] for row in rows]
            await session.execute(delete(AnalyticsTrack).where(AnalyticsTrack.id.in_(ids)))
    return [row[1] for row in rows]
