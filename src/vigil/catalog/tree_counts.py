"""Channels counted per (organisation, device, status) for the whole catalog, read again only
when a channel changed.

Counting the channels under a province of 100,000 is a scan of 100,000 index entries, and the
console asks on every open. The grouped counts are therefore kept in memory with the channels'
fingerprint: how many there are and the last time one was updated (every status change and every
move stamps ``updated_at``). Each read compares the fingerprint (two indexed lookups) and scans
again only when it differs, so the counts are never older than the database, on one node or
many. (Only channel rows go into the
counts; which devices an organisation holds is read afresh each time, so a device's keepalive,
which stamps the device, never throws the counts away.)
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from vigil.store.models import Channel

__all__ = ["ChannelCounts", "Filed"]

Filed = dict[str, list[tuple[str, str, int]]]
"""Organisation ID → (device ID, status, channels) for the channels filed directly under it."""

# Two subqueries, not one select of both aggregates: alone, each is an index lookup (SQLite's
# count(*) and max() shortcuts); together they would scan the table.
_FINGERPRINT = select(
    select(func.count()).select_from(Channel).scalar_subquery(),
    select(func.max(Channel.updated_at)).scalar_subquery(),
)

_GROUPED = (
    select(Channel.organisation_id, Channel.device_id, Channel.status, func.count())
    .where(Channel.organisation_id.is_not(None))
    .group_by(Channel.organisation_id, Channel.device_id, Channel.status)
)


class ChannelCounts:
    """The grouped channel counts, held in memory and counted again only when a channel changed."""

    def __init__(self) -> None:
        self._fingerprint: tuple[object, ...] | None = None
        self._filed: Filed = {}

    async def filed(self, session: AsyncSession) -> Filed:
        fingerprint = tuple((await session.execute(_FINGERPRINT)).one())
        if fingerprint != self._fingerprint:
            filed: Filed = {}
            for org_id, device_id, status, n in await session.execute(_GROUPED):
                filed.setdefault(str(org_id), []).append((device_id, status, int(n)))
            self._fingerprint, self._filed = fingerprint, filed
        return self._filed
