"""On-demand recording: record a channel for a set number of seconds, then stop by itself (an
alarm's ``record`` linkage action asks for it).

Nothing starts when the channel is being recorded already (its plan, or an earlier request): the
call says so by returning False. Otherwise it joins the channel's hub stream (shared with viewers
and with the plan recorder, so the device sends one stream), records it with the plan set aside
until the end (a channel whose plan is ``off`` is recorded for the alarm too), and after the
seconds have passed ends the recording as the plan would (the gap after it is
``not-scheduled``) and lets the stream go. A channel whose plan asks for recording by then is
handed back to its plan runner at once (:meth:`AutoRecorder.wake`), so the plan goes on recording
it. Recording starts with the first keyframe the source delivers after the request.

Starting needs ``catalog:write`` (like a plan, it decides what evidence exists) and the channel in
the caller's scope; each start is audited as ``recording.start`` with the seconds and the reason.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from vigil.catalog.channels import ChannelService
from vigil.errors import Conflict, Invalid
from vigil.governance.audit import AuditLog
from vigil.governance.audited import Caller, as_caller, note
from vigil.governance.permissions import Permission, Principal
from vigil.media.fanout import Subscription
from vigil.media.hub import StreamHub
from vigil.media.packet import MediaPacket, StreamKey
from vigil.media.recording.autostart import NOT_SCHEDULED, AutoRecorder
from vigil.media.recording.service import RecordingService

__all__ = ["MAX_ON_DEMAND", "OnDemandRecording"]

log = logging.getLogger(__name__)

#: The longest on-demand recording, in seconds.
MAX_ON_DEMAND = 3600.0
#: Seconds the recorder gets to close (hash and index) its segment after the stream is let go.
CLOSE_WAIT = 10.0


class OnDemandRecording:
    """See the module docstring; ``stop`` ends every on-demand recording at once."""

    def __init__(
        self,
        hub: StreamHub,
        recording: RecordingService,
        channels: ChannelService,
        audit: AuditLog,
        auto: AutoRecorder | None = None,
    ) -> None:
        self._hub = hub
        self._recording = recording
        self._channels = channels
        self._audit = audit
        self._auto = auto
        self._runs: dict[StreamKey, asyncio.Task[None]] = {}

    def running(self) -> list[StreamKey]:
        return sorted(self._runs, key=str)

    async def record_for(
        self, who: Principal | Caller, channel_id: str, seconds: float, reason: str
    ) -> bool:
        """Record the channel's main stream for ``seconds``; False when it is recorded already.
        Raises what opening the source raised when the stream cannot be had."""
        caller = as_caller(who)
        caller.principal.require(Permission.catalog_write)
        if not 0 < seconds <= MAX_ON_DEMAND:
            raise Invalid(
                f"an on-demand recording lasts (0, {MAX_ON_DEMAND:.0f}] s",
                code="recording.seconds",
            )
        await self._channels.get(caller.principal, channel_id)
        key = StreamKey(channel_id)
        if key in self._runs or key in self._recording.recording():
            return False
        subscription = await self._hub.subscribe(key)
        until = time.time() + seconds
        try:
            recorder = await self._recording.record(key, subscription, until=until)
        except Conflict:  # the plan (or another request) started it meanwhile
            subscription.close()
            return False
        except BaseException:
            subscription.close()
            raise
        task = asyncio.create_task(
            self._end(key, recorder, subscription, seconds), name=f"recording.on_demand:{key}"
        )
        self._runs[key] = task
        task.add_done_callback(lambda _: self._runs.pop(key, None))
        await note(
            self._audit,
            caller,
            "recording.start",
            f"channel/{channel_id}/recordings",
            channel_id=channel_id,
            detail={"seconds": seconds, "reason": reason},
        )
        log.info("on-demand recording", extra={"channel_id": channel_id, "seconds": seconds})
        return True

    async def _end(
        self,
        key: StreamKey,
        recorder: asyncio.Task[None],
        subscription: Subscription[MediaPacket],
        seconds: float,
    ) -> None:
        try:
            await asyncio.wait({recorder}, timeout=seconds)  # it may end first: source lost
        finally:
            if not recorder.done():
                self._recording.ending(key, NOT_SCHEDULED)
            subscription.close()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(recorder), CLOSE_WAIT)
        log.info("on-demand recording ended", extra={"channel_id": key.channel_id})
        if self._auto is not None:
            self._auto.wake(key)

    async def stop(self) -> None:
        tasks = list(self._runs.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
