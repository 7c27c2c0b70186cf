"""Record one stream: packets in, segments and gaps out.

Gaps are judged by arrival time, so a simulated hour fed quickly is judged like a real one:
packets more than ``gap_after`` seconds apart close the open segment and leave a gap from its end
to the next packet. A gap's cause is what stopped the recording:

* ``recorder-stopped`` — the first packet after a (re)start, when the stream had been recorded
  before (the time between the last indexed segment and now);
* ``source-lost`` — the packets stopped (or the subscription ended) and came back later;
* ``not-scheduled`` — the plan said not to record;
* ``disk-full`` / ``write-error`` — the segment could not be written.

When no packet comes for ``idle_close`` seconds of real time the open segment is closed (and so
hashed and indexed) without waiting for the source to return; the gap is written when it does.
Whoever ends the packets on purpose (the recording plan) says why first with :meth:`ending`; where
and why a recorder stopped (:attr:`Recorder.stopped`) is handed to the next one for the stream, so
the gap a plan leaves is ``not-scheduled`` however it ended.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from vigil.media.fanout import ConsumerDropped
from vigil.media.idle_wait import IdleWait
from vigil.media.packet import MediaPacket, StreamKey
from vigil.media.recording.segmenter import OpenSegment, Segmenter, SegmentWriteFailed

__all__ = ["GapLog", "Recorder", "Stop"]

log = logging.getLogger(__name__)

Scheduled = Callable[[float], bool]


@dataclass(frozen=True, slots=True)
class Stop:
    """Where a stream's recording stopped (epoch seconds) and why: the open gap."""

    at: float
    cause: str


class GapLog(Protocol):
    """Where gaps go (the recording index)."""

    async def add_gap(self, key: StreamKey, start: float, end: float, cause: str) -> Any: ...


class Recorder:
    """Consumes a stream's packets (a hub subscription or any async iterator of MediaPacket)."""

    def __init__(
        self,
        segmenter: Segmenter,
        gaps: GapLog,
        scheduled: Scheduled,
        gap_after: float = 5.0,
        idle_close: float = 5.0,
        resumed_from: Stop | None = None,
    ) -> None:
        self.key: StreamKey = segmenter.key
        self._segmenter = segmenter
        self._gaps = gaps
        self._scheduled = scheduled
        self.gap_after = gap_after
        self.idle_close = idle_close
        # Where recording stopped, and why: the gap is written when recording resumes.
        self._stopped_at: float | None = resumed_from.at if resumed_from else None
        self._stop_cause = resumed_from.cause if resumed_from else "recorder-stopped"
        self._end_cause = "source-lost"
        self._last_arrival: float | None = None

    @property
    def stopped(self) -> Stop | None:
        """Where and why recording stopped, while it is stopped (the open gap)."""
        at = self._stopped_at
        return Stop(at, self._stop_cause) if at is not None else None

    @property
    def open_segment(self) -> OpenSegment | None:
        return self._segmenter.open_segment

    def ending(self, cause: str) -> None:
        """The packets are about to end on purpose, for ``cause``: the gap they leave is that."""
        self._end_cause = cause

    async def run(self, packets: AsyncIterator[MediaPacket]) -> None:
        """Record until the iterator ends or the task is cancelled; the open segment is closed.

        ``packets`` is a hub subscription or any async iterator whose ``anext`` may be cancelled
        without losing a packet: after ``idle_close`` seconds without one, the wait is cancelled,
        the segment closed and a new wait begun. (An async generator is not such an iterator: one
        that waits that long ends.) A time limit per wait, not a task per packet, and one timer
        per recorder (:class:`~vigil.media.idle_wait.IdleWait`), not one per wait: this runs for
        every frame of every recorded stream.
        """
        wait = IdleWait(aiter(packets), self.idle_close)
        try:
            while True:
                try:
                    packet = await wait.next()
                except TimeoutError:
                    await self._pause("source-lost")
                    continue
                except (StopAsyncIteration, ConsumerDropped):
                    break
                await self.feed(packet)
        finally:
            wait.close()
            await self._pause(self._end_cause)

    async def feed(self, packet: MediaPacket) -> None:
        at = packet.arrival
        last, self._last_arrival = self._last_arrival, at
        if not self._scheduled(at):
            await self._pause("not-scheduled")
            return
        if (
            last is not None
            and self._segmenter.recording
            and self._stopped_at is None
            and at - last > self.gap_after
        ):
            await self._pause("source-lost")
        try:
            written = await self._segmenter.push(packet)
        except SegmentWriteFailed as failed:
            if self._stopped_at is None:
                self._stopped_at = last if last is not None else at
            self._stop_cause = failed.cause
            return
        if written and self._stopped_at is not None:
            await self._resume(at)

    async def _pause(self, cause: str) -> None:
        """Stop recording for ``cause``: close the open segment; the gap starts at its end."""
        if self._stopped_at is not None:
            return
        try:
            end = await self._segmenter.close()
        except SegmentWriteFailed as failed:
            end, cause = None, failed.cause
        stopped = end if end is not None else self._last_arrival
        if stopped is not None:
            self._stopped_at, self._stop_cause = stopped, cause

    async def _resume(self, at: float) -> None:
        stopped, self._stopped_at = self._stopped_at, None
        if stopped is not None and at - stopped > self.gap_after:
            await self._gaps.add_gap(self.key, stopped, at, self._stop_cause)
            log.info(
                "recording gap",
                extra={"channel_id": self.key.channel_id, "cause": self._stop_cause},
            )
        self._stop_cause = "source-lost"
