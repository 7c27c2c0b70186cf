"""Retention's statements: which segments a retention class covers, whether an evidence lock
still holds, and a channel's class.

A segment belongs to its channel's class; a segment whose channel is not on file (recorded
before it was catalogued, or after it was removed) counts as ``standard``. A lock holds while
``locked`` is set and ``lock_expires_at`` is unset or still ahead.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, select, update

from vigil.store.database import Database
from vigil.store.models import Channel, RecordingSegment

__all__ = ["get_retention_class", "in_class", "lock_released", "set_retention_class"]

_STANDARD = "standard"


def in_class(retention_class: str) -> ColumnElement[bool]:
    """Segments of the channels in ``retention_class`` (unknown channels are standard)."""
    if retention_class == _STANDARD:
        others = select(Channel.id).where(Channel.retention_class != _STANDARD)
        return RecordingSegment.channel_id.not_in(others)
    members = select(Channel.id).where(Channel.retention_class == retention_class)
    return RecordingSegment.channel_id.in_(members)


def lock_released(now: datetime | None) -> ColumnElement[bool]:
    """Segments no lock protects at ``now`` (None: every lock holds, expired or not)."""
    unlocked = RecordingSegment.locked.is_(False)
    if now is None:
        return unlocked
    expired = RecordingSegment.lock_expires_at.is_not(None) & (
        RecordingSegment.lock_expires_at <= now
    )
    return unlocked | expired


async def get_retention_class(db: Database, channel_id: str) -> str | None:
    """The channel's class; None when the channel is not on file."""
    async with db.session() as session:
        return await session.scalar(select(Channel.retention_class).where(Channel.id == channel_id))


async def set_retention_class(db: Database, channel_id: str, retention_class: str) -> bool:
    """Set the channel's class; False when the channel is not on file."""
    statement = (
        update(Channel)
        .where(Channel.id == channel_id)
        .values(retention_class=retention_class)
        .returning(Channel.id)
    )
    async with db.session() as session, session.begin():
        return (await session.scalar(statement)) is not None
