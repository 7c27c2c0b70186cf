"""Retention: delete segments past their class's age, and the oldest when the disk is nearly full.

Three rules, oldest first, and a segment whose evidence lock (证据锁定) holds is never deleted by
any; a lock with an expiry stops holding once it passes:

* age — a segment that ended more than its channel's retention class's days ago goes (see
  :mod:`vigil.retention_class`; a class without days keeps ``max_age``), never one younger than
  the legal minimum ``min_age``;
* cap — when the indexed segments add up to more than ``max_bytes``, the oldest go until they are
  back to ``CAP_LOW`` of it (the open segments, a minute or less per stream, are not counted);
* high-water mark — when the recordings' disk is fuller than ``high_water``, the oldest segments
  go until it is back to ``low_water``.

Cap and disk (disk pressure) may delete an unlocked segment younger than the minimum: recording
on must not stop; the pass's audit record counts those (:mod:`.retention_audit`).

The gap between each limit and where deleting stops keeps a rule from deleting one segment per
pass at the brink.

The disk's usage comes from an injectable function (``shutil.disk_usage`` by default) so tests
can give a small disk. A row is deleted first, in one statement that re-checks the lock, then its
file; every deletion is logged, and each pass writes one audit record per channel.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from vigil.governance.audit import AuditLog
from vigil.media.recording.index import RecordingIndex
from vigil.media.recording.retention_audit import Deleted, record_pass
from vigil.retention_class import RetentionClass, keep_for
from vigil.store.models import RecordingSegment

__all__ = [
    "CAP_LOW",
    "DiskUsage",
    "Retention",
    "RetentionClass",
    "RetentionPolicy",
    "choose_for_space",
    "disk_usage",
    "lock_holds",
]

log = logging.getLogger(__name__)

DiskUsage = Callable[[Path], tuple[int, int]]
"""(total, used) bytes of the disk holding a path."""

_BATCH = 200
#: Above the cap, deleting goes on until the recordings use this share of it.
CAP_LOW = 0.95
_MAX_ROUNDS = 10_000

_Marks = tuple[int, float, int]
"""What a limit measures: bytes used, the limit, and the low mark deleting stops at."""


def disk_usage(path: Path) -> tuple[int, int]:
    usage = shutil.disk_usage(path)
    return usage.total, usage.used


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """The limits that retention keeps the recordings within: age, disk use, a cap."""

    max_age: timedelta | None = timedelta(days=30)
    high_water: float = 0.90
    low_water: float = 0.85
    max_bytes: int | None = None
    days_by_class: Mapping[str, int] = field(default_factory=dict)
    """Days per retention class; a class left out keeps ``max_age``."""
    min_age: timedelta = timedelta(0)
    """The legal minimum: the age rule never deletes a younger segment."""

    def keep_for(self, retention_class: str) -> timedelta | None:
        """How long the age rule keeps a class's segments (None: age deletes nothing)."""
        return keep_for(retention_class, self.days_by_class, self.min_age, self.max_age)

    def __post_init__(self) -> None:
        if not 0 < self.low_water <= self.high_water <= 1:
            raise ValueError("retention needs 0 < low_water <= high_water <= 1")
        if self.max_bytes is not None and self.max_bytes <= 0:
            raise ValueError("a recording cap must be positive")


def lock_holds(segment: RecordingSegment, now: datetime | None) -> bool:
    """Whether the segment's evidence lock protects it at ``now`` (None: any lock does)."""
    if not segment.locked:
        return False
    expires = segment.lock_expires_at
    return now is None or expires is None or expires > now


def choose_for_space(
    candidates: Sequence[RecordingSegment], to_free: int, now: datetime | None = None
) -> list[RecordingSegment]:
    """The oldest segments no lock protects at ``now`` whose sizes add up to ``to_free``
    (or all there are)."""
    chosen: list[RecordingSegment] = []
    freed = 0
    for segment in sorted(candidates, key=lambda s: (s.end, s.id)):
        if freed >= to_free:
            break
        if lock_holds(segment, now):
            continue
        chosen.append(segment)
        freed += segment.size
    return chosen


class Retention:
    """Deletes the oldest unlocked segments when they are too old or the disk is too full."""

    def __init__(
        self,
        root: Path,
        index: RecordingIndex,
        policy: RetentionPolicy,
        usage: DiskUsage = disk_usage,
        audit: AuditLog | None = None,
    ) -> None:
        self.root = root
        self._index = index
        self.policy = policy
        self._usage = usage
        self._audit = audit

    async def run_once(self, now: datetime) -> list[RecordingSegment]:
        """One pass of every rule; the segments deleted, oldest first per rule. With an audit
        log, one record per channel deleted from."""
        deleted: list[Deleted] = []
        for retention_class in RetentionClass:
            keep = self.policy.keep_for(retention_class)
            if keep is not None:
                deleted += await self._expire(now - keep, now, retention_class)
        if self.policy.max_bytes is not None:
            deleted += await self._cap(self.policy.max_bytes, now)
        deleted += await self._make_space(now)
        if self._audit is not None and deleted:
            await record_pass(self._audit, deleted, now, self.policy.min_age)
        return [item.segment for item in deleted]

    async def _cap(self, cap: int, now: datetime) -> list[Deleted]:
        async def measure() -> _Marks:
            return await self._index.total_size(), cap, int(CAP_LOW * cap)

        stuck = "recordings above their cap, nothing left to delete (locked)"
        return await self._free(measure, now, "cap", stuck)

    async def _expire(self, before: datetime, now: datetime, retention_class: str) -> list[Deleted]:
        deleted: list[Deleted] = []
        for _ in range(_MAX_ROUNDS):
            batch = await self._index.oldest_unlocked(
                _BATCH, ended_before=before, now=now, retention_class=retention_class
            )
            gone = await self._delete(batch, now, "age")
            deleted += gone
            if len(batch) < _BATCH or not gone:
                break
        return deleted

    async def _make_space(self, now: datetime) -> list[Deleted]:
        async def measure() -> _Marks | None:
            total, used = await asyncio.to_thread(self._usage, self.root)
            if total <= 0:
                return None
            policy = self.policy
            return used, policy.high_water * total, int(policy.low_water * total)

        stuck = "recordings disk above high-water mark, nothing left to delete"
        return await self._free(measure, now, "disk", stuck)

    async def _free(
        self,
        measure: Callable[[], Awaitable[_Marks | None]],
        now: datetime,
        reason: str,
        stuck: str,
    ) -> list[Deleted]:
        """Delete the oldest unlocked segments (as ``reason``) once ``measure`` finds more used
        than its limit, until use is down to its low mark; log ``stuck`` if none is left."""
        deleted: list[Deleted] = []
        for _ in range(_MAX_ROUNDS):
            marks = await measure()
            if marks is None:
                break
            used, limit, low = marks
            if used <= limit and not deleted:
                break
            to_free = used - low
            if to_free <= 0:
                break
            candidates = await self._index.oldest_unlocked(_BATCH, now=now)
            gone = await self._delete(choose_for_space(candidates, to_free, now), now, reason)
            if not gone:
                log.warning(stuck)
                break
            deleted += gone
        return deleted

    async def _delete(
        self, segments: Sequence[RecordingSegment], now: datetime, reason: str
    ) -> list[Deleted]:
        ids = await self._index.delete_unlocked([s.id for s in segments], now)
        gone = [s for s in segments if s.id in ids]
        for segment in gone:
            await asyncio.to_thread(self._unlink, self.root / segment.path)
            log.info(
                "recording segment deleted",
                extra={
                    "channel_id": segment.channel_id,
                    "segment": segment.id,
                    "path": segment.path,
                    "reason": reason,
                },
            )
        return [Deleted(segment, reason) for segment in gone]

    @staticmethod
    def _unlink(path: Path) -> None:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
