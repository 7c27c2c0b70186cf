"""Keep recording the channels whose recording plan asks for it, without anyone watching.

A channel with a plan row whose mode is not ``off`` gets a recorder fed by its own hub
subscription (so a viewer and the recorder share one device stream). When the stream ends (the
device went offline, every re-INVITE failed) the recorder stops and is started again after a
back-off; outside a scheduled plan's windows the recorder itself writes nothing (see
:class:`~vigil.media.recording.recorder.Recorder`). Channels without a plan row are not started
here: opening every camera of a city at boot is a decision for an explicit plan.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy import select

from vigil.media.hub import StreamHub
from vigil.media.packet import StreamKey
from vigil.media.recording.service import RecordingService
from vigil.store.database import Database
from vigil.store.models import RecordingPlan

__all__ = ["AutoRecorder"]

log = logging.getLogger(__name__)

#: Seconds between attempts to (re)start a channel's recording, doubling up to ``MAX_BACKOFF``.
BACKOFF = 2.0
MAX_BACKOFF = 60.0


class AutoRecorder:
    """``await start()`` records every planned channel; ``await stop()`` ends them all."""

    def __init__(self, db: Database, hub: StreamHub, recording: RecordingService) -> None:
        self._db = db
        self._hub = hub
        self._recording = recording
        self._tasks: dict[StreamKey, asyncio.Task[None]] = {}

    @property
    def channels(self) -> list[StreamKey]:
        return sorted(self._tasks, key=str)

    async def start(self) -> None:
        async with self._db.session() as session:
            planned = await session.scalars(
                select(RecordingPlan.channel_id).where(RecordingPlan.mode != "off")
            )
            channel_ids = list(planned)
        for channel_id in channel_ids:
            self.keep(StreamKey(channel_id))

    def keep(self, key: StreamKey) -> None:
        """Record ``key`` from now on, restarting after failures, until :meth:`stop`."""
        if key not in self._tasks:
            self._tasks[key] = asyncio.create_task(self._run(key), name=f"recording.auto:{key}")

    async def stop(self) -> None:
        tasks = list(self._tasks.values())
        self._tasks.clear()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _run(self, key: StreamKey) -> None:
        delay = BACKOFF
        while True:
            try:
                subscription = await self._hub.subscribe(key)
            except Exception as exc:
                log.info("recording not started", extra={"stream": str(key), "error": str(exc)})
            else:
                try:
                    task = await self._recording.record(key, subscription)
                    delay = BACKOFF
                    with contextlib.suppress(Exception):
                        await task
                finally:
                    subscription.close()
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_BACKOFF)
