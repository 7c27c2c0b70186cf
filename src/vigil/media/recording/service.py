"""The recording service: recorders per stream, recovery at start, retention in the background,
and the principal-facing index (list a range, plans, evidence locks).

Whoever holds a stream's packets starts its recording with :meth:`RecordingService.record` — the
stream hub passes a subscription; tests pass packets they made. Each recorder is a named task
owned here and cancelled on stop, which closes (hashes and indexes) its open segment. Where and why
a stream's recording stopped is kept here between recorders (and set by :meth:`not_recording`
when the plan stops it), so the gap written when it resumes has the right cause; listings add the
open segment and the open gap (:mod:`.live_spans`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from vigil.catalog.channels import ChannelService
from vigil.errors import Conflict, Invalid, NotFound
from vigil.governance.audit import AuditLog
from vigil.governance.audited import Caller, as_caller, audited, note
from vigil.governance.permissions import Permission, Principal
from vigil.media.packet import MediaPacket, StreamKey
from vigil.media.recording.index import RecordingIndex
from vigil.media.recording.live_spans import (
    LiveGap,
    LiveSegment,
    live_gap,
    live_segment,
    with_live,
)
from vigil.media.recording.plans import PlanStore
from vigil.media.recording.recorder import Recorder, Stop
from vigil.media.recording.recovery import recover
from vigil.media.recording.retention import DiskUsage, Retention, RetentionPolicy, disk_usage
from vigil.media.recording.schedule import RecordingSchedule
from vigil.media.recording.segmenter import Segmenter
from vigil.retention_class import RetentionClass
from vigil.store.database import Database
from vigil.store.models import RecordingGap, RecordingSegment
from vigil.store.queries.retention import set_retention_class
from vigil.store.types import utcnow

__all__ = ["RecordingConfig", "RecordingService", "check_range"]

log = logging.getLogger(__name__)

MAX_RANGE = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class RecordingConfig:
    """Where and how the recorder writes: directory, zone, segment length, retention."""

    root: Path
    zone: ZoneInfo
    segment_seconds: float = 60.0
    gap_after: float = 5.0
    idle_close: float = 5.0
    retention: RetentionPolicy = field(default_factory=RetentionPolicy)
    retention_every: float = 60.0


def check_range(start: datetime, end: datetime, longest: timedelta = MAX_RANGE) -> None:
    if start.tzinfo is None or end.tzinfo is None:
        raise Invalid("start and end need a UTC offset", code="time.offset")
    if not start < end:
        raise Invalid("start must be before end", code="period.order")
    if end - start > longest:
        raise Invalid(
            f"a range may span at most {longest}",
            code="period.too_long",
            hours=longest.total_seconds() / 3600,
        )


class RecordingService:
    """Records streams into segments, keeps their index and plans, and runs retention."""

    def __init__(
        self,
        db: Database,
        audit: AuditLog,
        channels: ChannelService,
        config: RecordingConfig,
        usage: DiskUsage = disk_usage,
    ) -> None:
        self.config = config
        self.root = config.root
        self.index = RecordingIndex(db)
        self._db = db
        self.plans = PlanStore(db)
        self.retention = Retention(config.root, self.index, config.retention, usage, audit)
        self._audit = audit
        self._channels = channels
        self._recorders: dict[StreamKey, asyncio.Task[None]] = {}
        self._live: dict[StreamKey, Recorder] = {}
        self._stops: dict[StreamKey, Stop] = {}
        self._retention_task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await asyncio.to_thread(self.root.mkdir, parents=True, exist_ok=True)
        indexed, removed = await recover(self.root, self.index)
        if indexed or removed:
            log.warning("recording recovery", extra={"indexed": indexed, "removed": removed})
        self._retention_task = asyncio.create_task(self._retain(), name="recording.retention")

    async def stop(self) -> None:
        tasks = [*self._recorders.values()]
        if self._retention_task is not None:
            tasks.append(self._retention_task)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._recorders.clear()
        self._live.clear()
        self._retention_task = None

    # -- recording -------------------------------------------------------------------------

    async def record(
        self, key: StreamKey, packets: AsyncIterator[MediaPacket], *, until: float | None = None
    ) -> asyncio.Task[None]:
        """Record ``packets`` for ``key`` until they end or the service stops; ``until`` (epoch
        seconds) records whatever the plan says before then (an on-demand recording)."""
        if key in self._recorders:
            raise Conflict(f"stream {key} is already being recorded")
        await self.plans.ensure(key.channel_id)
        resumed = self._stops.get(key) or await self._last_stop(key)
        if key in self._recorders:
            raise Conflict(f"stream {key} is already being recorded")
        self._stops.pop(key, None)
        segmenter = Segmenter(self.root, key, self.config.segment_seconds, self.index.add_segment)
        recorder = Recorder(
            segmenter,
            self.index,
            self._scheduled(key.channel_id, until),
            gap_after=self.config.gap_after,
            idle_close=self.config.idle_close,
            resumed_from=resumed,
        )
        task = asyncio.create_task(self._run(key, recorder, packets), name=f"recording:{key}")
        self._recorders[key], self._live[key] = task, recorder
        task.add_done_callback(lambda done: self._finished(key, done))
        return task

    def ending(self, key: StreamKey, cause: str) -> None:
        """The packets of ``key``'s recorder are about to end on purpose, for ``cause``."""
        recorder = self._live.get(key)
        if recorder is not None:
            recorder.ending(cause)

    async def not_recording(self, key: StreamKey, cause: str) -> None:
        """``key`` is not recorded from now on, for ``cause`` (the plan): the gap until it is
        recorded again has that cause. What was open before (a lost source, a restart) is
        written as a gap of its own. Nothing changes while a recorder runs."""
        if key in self._recorders:
            return
        now = time.time()
        before = self._stops.get(key) or await self._last_stop(key)
        if before is None:
            self._stops[key] = Stop(now, cause)
        elif before.cause == cause or now - before.at <= self.config.gap_after:
            self._stops[key] = Stop(before.at, cause)
        else:
            await self.index.add_gap(key, before.at, now, before.cause)
            self._stops[key] = Stop(now, cause)

    async def _last_stop(self, key: StreamKey) -> Stop | None:
        """Without a recorder's word: the stream stopped where its last segment ended, and the
        recorder (this process) is why."""
        last = await self.index.last_end(key)
        return Stop(last.timestamp(), "recorder-stopped") if last else None

    async def _run(
        self, key: StreamKey, recorder: Recorder, packets: AsyncIterator[MediaPacket]
    ) -> None:
        try:
            await recorder.run(packets)
        finally:
            stop = recorder.stopped
            if stop is not None:
                self._stops[key] = stop

    def recording(self) -> list[StreamKey]:
        return sorted(self._recorders, key=str)

    def _scheduled(self, channel_id: str, until: float | None) -> Callable[[float], bool]:
        zone = self.config.zone
        forced = until if until is not None else 0.0
        return lambda at: at < forced or self.plans.cached(channel_id).active(at, zone)

    def _finished(self, key: StreamKey, task: asyncio.Task[None]) -> None:
        if self._recorders.get(key) is task:
            del self._recorders[key]
            del self._live[key]
        if not task.cancelled() and task.exception() is not None:
            log.error(
                "recorder failed",
                exc_info=task.exception(),
                extra={"channel_id": key.channel_id, "stream": key.stream},
            )

    async def _retain(self) -> None:
        while True:
            try:
                await self.retention.run_once(utcnow())
            except Exception:
                log.exception("retention pass failed")
            await asyncio.sleep(self.config.retention_every)

    # -- principal-facing ------------------------------------------------------------------

    async def ranges(
        self, principal: Principal, channel_id: str, start: datetime, end: datetime
    ) -> tuple[list[RecordingSegment | LiveSegment], list[RecordingGap | LiveGap]]:
        """The segments and gaps of a channel overlapping ``[start, end)``, the open ones too."""
        principal.require(Permission.video_playback)
        check_range(start, end, timedelta(days=31))
        await self._channels.get(principal, channel_id)
        live = await self.live(channel_id)
        rows = await self.index.segments(channel_id, start, end)
        return with_live(rows, await self.index.gaps(channel_id, start, end), live, start, end)

    async def live(self, channel_id: str) -> tuple[LiveSegment | None, LiveGap | None]:
        """The open segment and the open gap of a channel's main stream, as of now."""
        key = StreamKey(channel_id)
        recorder = self._live.get(key)
        now = time.time()
        if recorder is None:
            stop = self._stops.get(key)
            return None, live_gap(stop, now) if stop else None
        segment, stop = recorder.open_segment, recorder.stopped
        gap = live_gap(stop, now) if stop and now - stop.at > self.config.gap_after else None
        if segment is None:
            return None, gap
        size = await asyncio.to_thread(_size, self.root / segment.path)
        return live_segment(segment, size), gap

    async def get_plan(self, principal: Principal, channel_id: str) -> RecordingSchedule:
        principal.require(Permission.video_playback)
        await self._channels.get(principal, channel_id)
        return await self.plans.load(channel_id)

    async def put_plan(
        self, principal: Principal, channel_id: str, schedule: RecordingSchedule
    ) -> RecordingSchedule:
        """Change a plan: needs ``catalog:write`` (it decides what evidence exists)."""
        principal.require(Permission.catalog_write)
        await self._channels.get(principal, channel_id)
        return await self.plans.save(channel_id, schedule)

    async def set_retention_class(
        self, who: Principal | Caller, channel_id: str, retention_class: RetentionClass
    ) -> timedelta | None:
        """Put a channel in a retention class: needs ``catalog:write``; audited. How long the
        age rule keeps its recordings now."""
        caller = as_caller(who)
        caller.principal.require(Permission.catalog_write)
        await self._channels.get(caller.principal, channel_id)
        keep = self.retention.policy.keep_for(retention_class)
        async with audited(
            self._audit,
            caller,
            "channel.retention_class",
            f"channel/{channel_id}",
            channel_id=channel_id,
            detail={"retention_class": retention_class.value, "days": keep.days if keep else None},
        ):
            if not await set_retention_class(self._db, channel_id, retention_class.value):
                raise NotFound(f"channel {channel_id} not found", code="channel.not_found")
        return keep

    async def lock(
        self,
        who: Principal | Caller,
        channel_id: str,
        start: datetime,
        end: datetime,
        locked: bool,
        reason: str,
        case: str | None = None,
        expires_at: datetime | None = None,
    ) -> list[int]:
        """Set or clear the evidence lock on a range; needs ``video:export``; audited.

        A lock names its ``case`` and holds until ``expires_at`` (for good when None); an
        unlock clears both.

        The permission is the export one because a lock decides which video outlives retention,
        which is the same trust as taking a copy of it out.
        """
        caller = as_caller(who)
        principal = caller.principal
        principal.require(Permission.video_export)
        check_range(start, end, timedelta(days=31))
        if locked and expires_at is not None and expires_at <= utcnow():
            raise Invalid("a lock's expiry must be in the future", code="lock.expired")
        await self._channels.get(principal, channel_id)
        ids = await self.index.set_locked(channel_id, start, end, locked, case, expires_at)
        await note(
            self._audit,
            caller,
            "recording.lock" if locked else "recording.unlock",
            f"channel/{channel_id}/recordings",
            channel_id=channel_id,
            detail={
                "start": start.isoformat(),
                "end": end.isoformat(),
                "segments": ids,
                "reason": reason,
                "case": case,
                "expires_at": expires_at.isoformat() if expires_at else None,
            },
        )
        return ids


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:  # closed and deleted meanwhile
        return 0
