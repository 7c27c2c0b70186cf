"""One channel's live pipeline on the event loop: packets from the hub to its worker, outcomes
from the worker to the recorder.

The channel's live stream (``StreamKey(channel_id)``, the main stream) is joined like any viewer:
when it runs, the hub hands over its current GOP and nothing is opened on the camera; otherwise
the hub opens it and keeps it open while this subscription lasts. A subscription that ends (the
source failed or could not open, the pipeline fell too far behind the hub) is opened again after
a pause; so is a stream that merely ended. Only video packets cross to the worker, and offering
never waits (see :mod:`.worker`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from typing import Any

from vigil.analytics.live.messages import Outcome, PacketIn, RulesIn
from vigil.analytics.live.recorder import ChannelRecorder
from vigil.analytics.live.worker import ChannelWorker, WorkerSetup
from vigil.analytics.rules import Rule, rule_to_dict
from vigil.errors import VigilError
from vigil.media import ConsumerDropped, StreamHub, StreamKey

__all__ = ["ChannelPipeline"]

log = logging.getLogger(__name__)

#: Seconds between attempts to join a channel's stream again.
RETRY_SECONDS = 5.0
#: Seconds the reading thread waits for an outcome before looking whether the worker ended.
_POLL = 0.25


class ChannelPipeline:
    """See the module docstring; :meth:`start` once, :meth:`stop` once."""

    def __init__(self, hub: StreamHub, recorder: ChannelRecorder, setup: WorkerSetup) -> None:
        self.channel_id = recorder.channel_id
        self._hub = hub
        self._recorder = recorder
        self._setup = setup
        self._worker: ChannelWorker | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._outcomes: asyncio.Queue[Outcome | None] = asyncio.Queue()
        self._finishing = False
        self._rules = RulesIn([])
        self.packets = 0
        self.restarts = 0
        self.subscriptions = 0
        self.stream_errors = 0

    async def start(self, rules: list[Rule]) -> None:
        """Start the worker process with ``rules``, join the stream, take the outcomes."""
        self._rules = RulesIn([rule_to_dict(rule) for rule in rules])
        self._recorder.rule_names = {rule.id: rule.name for rule in rules}
        await self._new_worker()
        self._tasks = [
            asyncio.create_task(self._feed(), name=f"analytics.feed:{self.channel_id}"),
            asyncio.create_task(self._receive(), name=f"analytics.receive:{self.channel_id}"),
        ]

    async def set_rules(self, rules: list[Rule]) -> None:
        """Replace the channel's rules in the worker."""
        self._rules = RulesIn([rule_to_dict(rule) for rule in rules])
        self._recorder.rule_names = {rule.id: rule.name for rule in rules}
        if self._worker is not None:
            await asyncio.to_thread(self._worker.set_rules, self._rules)

    async def _new_worker(self) -> None:
        worker = ChannelWorker(self.channel_id, self._setup)
        worker.start()
        await asyncio.to_thread(worker.set_rules, self._rules)
        self._worker = worker

    async def stop(self) -> None:
        """Leave the stream, let the worker end its tracks, store them, end the process.
        Bounded: the caller wraps it in a timeout, and :meth:`kill` ends what is left."""
        feed, receive = self._tasks or (None, None)
        if feed is not None:
            feed.cancel()
            await asyncio.gather(feed, return_exceptions=True)
        self._finishing = True
        if self._worker is not None:
            await asyncio.to_thread(self._worker.finish)
        if receive is not None:
            await asyncio.gather(receive, return_exceptions=True)
        self.kill()

    def kill(self) -> None:
        """End the tasks and the process now (what :meth:`stop` did not finish is lost)."""
        for task in self._tasks:
            task.cancel()
        if self._worker is not None:
            self._worker.close(timeout=1.0)
            self._worker = None

    def status(self) -> dict[str, Any]:
        """The channel's counters: packets in, dropped here and in the worker, frames analysed."""
        counts = self._recorder.counts
        dropped_packets = self._worker.dropped if self._worker is not None else 0
        return {
            "running": self._worker is not None and self._worker.alive(),
            "worker_pid": self._worker.process.pid if self._worker is not None else None,
            "restarts": self.restarts,
            "packets": self.packets,
            "dropped_packets": dropped_packets,
            "decoded": counts.decoded if counts else 0,
            "analysed": counts.analysed if counts else 0,
            "dropped_frames": counts.dropped if counts else 0,
            "gated_frames": counts.gated if counts else 0,
            "worker_cpu_s": round(counts.cpu_s, 3) if counts else 0.0,
            "tracks": self._recorder.tracks,
            "alarms": self._recorder.alarms,
            "subscriptions": self.subscriptions,
            "stream_errors": self.stream_errors,
        }

    async def _feed(self) -> None:
        key = StreamKey(self.channel_id)
        while True:
            try:
                async with await self._hub.subscribe(key) as subscription:
                    self.subscriptions += 1
                    async for packet in subscription:
                        if not packet.codec.is_video:
                            continue
                        self.packets += 1
                        assert self._worker is not None
                        self._worker.offer(
                            PacketIn(
                                packet.codec.value,
                                packet.pts,
                                packet.keyframe,
                                packet.data,
                                packet.arrival,
                            )
                        )
            except (VigilError, ConsumerDropped, OSError, TimeoutError) as exc:
                self.stream_errors += 1
                log.warning(
                    "analytics lost the channel's stream; joining again",
                    extra={"channel_id": self.channel_id, "reason": repr(exc)},
                )
            await asyncio.sleep(RETRY_SECONDS)

    def _pump(self, worker: ChannelWorker, loop: asyncio.AbstractEventLoop) -> None:
        """The reading thread: the worker's outcomes onto the loop's queue, then None once the
        process ended (its own thread, not the loop's pool: it waits most of its life)."""
        try:
            while True:
                outcome = worker.receive(_POLL)
                if outcome is None and not worker.alive():
                    outcome = worker.receive(0)  # what it sent just before it ended
                    if outcome is None:
                        break
                if outcome is not None:
                    loop.call_soon_threadsafe(self._outcomes.put_nowait, outcome)
        except (OSError, ValueError):
            pass  # the queue was closed under it: the pipeline was killed
        with contextlib.suppress(RuntimeError):  # the loop may be closed by now
            loop.call_soon_threadsafe(self._outcomes.put_nowait, None)

    async def _receive(self) -> None:
        """Store what the worker sends; a worker that dies is replaced after a pause (its open
        tracks are closed at that moment: what it knew of them died with it)."""
        while True:
            worker = self._worker
            assert worker is not None
            threading.Thread(
                target=self._pump,
                args=(worker, asyncio.get_running_loop()),
                name=f"analytics.outcomes:{self.channel_id}",
                daemon=True,
            ).start()
            while (outcome := await self._outcomes.get()) is not None:
                await self._recorder.record(outcome)
            if self._finishing:
                return
            log.error(
                "analytics worker ended unexpectedly; starting another",
                extra={"channel_id": self.channel_id, "exitcode": worker.process.exitcode},
            )
            self.restarts += 1
            await self._recorder.abandon_open()
            await asyncio.sleep(RETRY_SECONDS)
            if self._finishing:
                return
            await self._new_worker()
            await asyncio.to_thread(worker.close, 0.0)
