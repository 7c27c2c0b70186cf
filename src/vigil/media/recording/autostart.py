"""Keep recording the channels whose recording plan asks for it, without anyone watching; a plan
takes effect when it is saved.

Each channel with a plan row gets a runner task. While the plan says record, the runner feeds a
recorder from the channel's own hub subscription (so a viewer and the recorder share one device
stream); when the stream ends (the device went offline, every re-INVITE failed) it starts again
after a back-off. When the plan says not to record (``off``, or outside a weekly plan's windows)
the runner ends the recording, which leaves a ``not-scheduled`` gap, lets the stream go (the
device gets its BYE once no viewer holds it), and sleeps until the next window opens or the plan
is saved again. Saving a plan wakes its runner at once, or starts one. Channels without a plan
row are not started here: opening every camera of a city at boot is a decision for an explicit
plan.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from vigil.media.fanout import Subscription
from vigil.media.hub import StreamHub
from vigil.media.packet import MediaPacket, StreamKey
from vigil.media.recording.schedule import RecordingSchedule
from vigil.media.recording.service import RecordingService

__all__ = ["NOT_SCHEDULED", "AutoRecorder"]

log = logging.getLogger(__name__)

NOT_SCHEDULED = "not-scheduled"
#: Seconds between attempts to (re)start a channel's recording, doubling up to ``MAX_BACKOFF``.
BACKOFF = 2.0
MAX_BACKOFF = 60.0
#: Longest sleep before the plan is looked at again (a wall clock that jumps is caught then).
MAX_NAP = 300.0
#: Sleeps end this much after a window's edge, so the plan is read on the far side of it.
_PAST_EDGE = 0.05


class AutoRecorder:
    """``await start()`` runs every planned channel; ``await stop()`` ends them all."""

    def __init__(self, hub: StreamHub, recording: RecordingService) -> None:
        self._hub = hub
        self._recording = recording
        self._zone = recording.config.zone
        self._runners: dict[StreamKey, tuple[asyncio.Task[None], asyncio.Event]] = {}
        self._started = False
        recording.plans.watch(self._plan_saved)

    @property
    def channels(self) -> list[StreamKey]:
        return sorted(self._runners, key=str)

    async def start(self) -> None:
        self._started = True
        for channel_id in await self._recording.plans.load_all():
            self.keep(StreamKey(channel_id))

    def keep(self, key: StreamKey) -> None:
        """Follow ``key``'s plan from now on, until :meth:`stop`."""
        if key not in self._runners:
            changed = asyncio.Event()
            task = asyncio.create_task(self._run(key, changed), name=f"recording.auto:{key}")
            self._runners[key] = task, changed

    async def stop(self) -> None:
        self._started = False
        tasks = [task for task, _ in self._runners.values()]
        self._runners.clear()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def wake(self, key: StreamKey) -> None:
        """Look at ``key``'s plan again now (an on-demand recording of it just ended)."""
        runner = self._runners.get(key)
        if runner is not None:
            runner[1].set()

    def _plan_saved(self, channel_id: str, schedule: RecordingSchedule) -> None:
        if not self._started:
            return  # start() reads every plan
        key = StreamKey(channel_id)
        runner = self._runners.get(key)
        if runner is not None:
            runner[1].set()
        else:
            self.keep(key)

    # -- one channel ---------------------------------------------------------------------------

    def _due(self, key: StreamKey) -> bool:
        return self._recording.plans.cached(key.channel_id).active(time.time(), self._zone)

    async def _nap(self, changed: asyncio.Event, until: float | None) -> None:
        """Sleep until ``until`` (epoch seconds; None: no end) or the plan is saved."""
        timeout = MAX_NAP if until is None else min(MAX_NAP, until - time.time() + _PAST_EDGE)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(changed.wait(), max(0.0, timeout))

    def _next_change(self, key: StreamKey) -> float | None:
        return self._recording.plans.cached(key.channel_id).next_change(time.time(), self._zone)

    async def _run(self, key: StreamKey, changed: asyncio.Event) -> None:
        delay = BACKOFF
        while True:
            changed.clear()
            if not self._due(key):
                await self._recording.not_recording(key, NOT_SCHEDULED)
                await self._nap(changed, self._next_change(key))
                continue
            # This loop supervises one stream for good: whatever opening the source or recording
            # raised (sources raise their own kinds), it logs and retries after a back-off.
            try:
                subscription = await self._hub.subscribe(key)
            except Exception as exc:  # noqa: BLE001 - see above: logged, retried
                log.info("recording not started", extra={"stream": str(key), "error": str(exc)})
            else:
                try:
                    recorder = await self._recording.record(key, subscription)
                    delay = BACKOFF
                    await self._follow(key, recorder, subscription, changed)
                except Exception as exc:  # noqa: BLE001 - see above: logged, retried
                    log.info("recording not started", extra={"stream": str(key), "error": str(exc)})
                finally:
                    subscription.close()
                if not self._due(key):
                    continue  # the plan ended it: no back-off
            await self._nap(changed, time.time() + delay)
            delay = min(delay * 2, MAX_BACKOFF)

    async def _follow(
        self,
        key: StreamKey,
        recorder: asyncio.Task[None],
        subscription: Subscription[MediaPacket],
        changed: asyncio.Event,
    ) -> None:
        """Until the recording ends by itself, or the plan ends it (a save, a window's edge)."""
        while not recorder.done():
            changed.clear()
            if not self._due(key):
                self._recording.ending(key, NOT_SCHEDULED)
                subscription.close()
                break
            until = self._next_change(key)
            timeout = MAX_NAP if until is None else until - time.time() + _PAST_EDGE
            saved = asyncio.ensure_future(changed.wait())
            try:
                await asyncio.wait(
                    {recorder, saved},
                    timeout=min(MAX_NAP, max(0.0, timeout)),
                    return_when=asyncio.FIRST_COMPLETED,
                )
            finally:
                saved.cancel()
        await asyncio.wait({recorder})
