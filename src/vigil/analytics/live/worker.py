"""A channel's worker process: coded packets in, outcomes out; decode and analysis stay there.

Why packets and not frames: a live channel's packets are a few kilobytes each, its decoded frames
a megabyte and more, and every packet has to be decoded anyway; sending the packets keeps the
whole CPU path (decode, colour conversion of the sampled frames, detection, tracking, rules and
the JPEGs of snapshots and crops, which need the pixels of the frame that caused them) in one
process, off the event loop, and nothing but packets and small results crosses processes. The
cost is one detector per channel process (NanoDet's ONNX session: a few tens of MB); the shared
:class:`~vigil.analytics.frames.worker.AnalysisWorker` ring would share it, but would ship every
analysed frame's pixels back and forth for the evidence.

:class:`ChannelWorker` owns the process (``spawn``: ONNX Runtime and FFmpeg do not survive a
fork) and its two queues. Offering a packet never blocks: when the inbox is full (the worker is
behind) the packet is dropped and counted, and so is every packet after it until the next
keyframe (a decoder fed a broken chain only makes garbage).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import queue
from dataclasses import dataclass
from multiprocessing.queues import Queue
from pathlib import Path
from typing import TypeAlias

from vigil.analytics.live.messages import Outcome, PacketIn, RulesIn

__all__ = ["COUNTS_EVERY", "ChannelWorker", "Inbox", "WorkerSetup"]

log = logging.getLogger(__name__)

#: Packets waiting for the worker before new ones are dropped (about 5 s of a 25 fps stream).
INBOX = 128
#: Seconds between two :class:`Counts` from the worker.
COUNTS_EVERY = 2.0

Inbox: TypeAlias = "Queue[PacketIn | RulesIn | None]"


@dataclass(frozen=True)
class WorkerSetup:
    """What the worker process needs: the model, the data directory of its cache, the rate."""

    data_dir: Path
    fps: float
    model: str = "nanodet"
    threads: int = 1
    precision: str = "auto"
    max_lag: float = 2.0


def _work(inbox: Inbox, outbox: Queue[Outcome], setup: WorkerSetup, parent: int) -> None:
    """The process's entry: the detector, the tracker and their libraries (ONNX, SciPy) are
    imported here, in the worker, so the node that only starts workers never loads them."""
    from vigil.analytics.live.worker_body import work

    work(inbox, outbox, setup, parent)


class ChannelWorker:
    """One channel's worker process and its queues; see the module docstring."""

    def __init__(self, channel_id: str, setup: WorkerSetup) -> None:
        context = multiprocessing.get_context("spawn")
        self.inbox: Inbox = context.Queue(INBOX)
        self.outbox: Queue[Outcome] = context.Queue()
        self.process = context.Process(
            target=_work,
            args=(self.inbox, self.outbox, setup, os.getpid()),
            name=f"vigil.analytics.channel:{channel_id}",
            daemon=True,
        )
        self.dropped = 0
        self._broken = False

    def start(self) -> None:
        """Start the process (it loads the model: seconds; packets offered meanwhile wait)."""
        self.process.start()

    def offer(self, packet: PacketIn) -> bool:
        """Hand a packet to the worker; False when it was dropped (behind, or waiting for a
        keyframe after a drop)."""
        if self._broken and not packet.keyframe:
            self.dropped += 1
            return False
        try:
            self.inbox.put_nowait(packet)
        except queue.Full:
            self._broken = True
            self.dropped += 1
            return False
        self._broken = False
        return True

    def set_rules(self, rules: RulesIn) -> None:
        """Replace the worker's rules (waits for room: rules are never dropped)."""
        self.inbox.put(rules, timeout=5.0)

    def receive(self, timeout: float) -> Outcome | None:
        """The next outcome, or None after ``timeout`` seconds (blocking: run it in a thread)."""
        try:
            return self.outbox.get(timeout=timeout)
        except queue.Empty:
            return None

    def alive(self) -> bool:
        return self.process.is_alive()

    def finish(self) -> None:
        """Ask the worker to end after the packets it holds (it sends its last outcomes)."""
        with contextlib.suppress(queue.Full):
            self.inbox.put(None, timeout=1.0)

    def close(self, timeout: float = 5.0) -> None:
        """Wait up to ``timeout`` for the process to end, then end it, and free the queues."""
        if self.process.pid is not None:
            self._end(timeout)
        for q in (self.inbox, self.outbox):
            q.cancel_join_thread()
            q.close()

    def _end(self, timeout: float) -> None:
        self.process.join(timeout)
        if self.process.is_alive():
            log.warning(
                "analytics worker did not end; terminating it", extra={"pid": self.process.pid}
            )
            self.process.terminate()
            self.process.join(1.0)
