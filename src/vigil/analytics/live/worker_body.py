"""The body of a channel's worker process (see :mod:`.worker`, which starts it): decode the
packets that arrive, analyse the sampled frames, send what happened."""

from __future__ import annotations

import contextlib
import queue
import time
from multiprocessing.queues import Queue

import cv2

from vigil.analytics.detect.detector import Detector
from vigil.analytics.frames.motion import MotionGate
from vigil.analytics.live.analysis import ChannelAnalysis
from vigil.analytics.live.decoding import PacketDecoder
from vigil.analytics.live.messages import Counts, Outcome, PacketIn, RulesIn
from vigil.analytics.live.worker import COUNTS_EVERY, Inbox, WorkerSetup
from vigil.analytics.rules import rule_from_dict
from vigil.child import follow_parent

__all__ = ["work"]


def _counts(analysis: ChannelAnalysis, decoder: PacketDecoder) -> Counts:
    return Counts(
        decoder.decoded, analysis.analysed, analysis.dropped, analysis.gated, time.process_time()
    )


def _handle(
    item: PacketIn | RulesIn,
    analysis: ChannelAnalysis,
    decoder: PacketDecoder,
    outbox: Queue[Outcome],
) -> None:
    if isinstance(item, RulesIn):
        analysis.set_rules([rule_from_dict(raw) for raw in item.rules])
        return
    for stamp, frame in decoder.decode(item):
        if analysis.wants(stamp):
            for outcome in analysis.analyse(stamp, frame.to_ndarray(format="rgb24")):
                outbox.put(outcome)


def work(inbox: Inbox, outbox: Queue[Outcome], setup: WorkerSetup, parent: int) -> None:
    """The process's body: until ``None`` arrives, decode, analyse and send what happened."""
    follow_parent(parent)  # never outlive the node, even one killed with SIGKILL
    cv2.setNumThreads(1)
    detector = Detector(
        setup.model, data_dir=setup.data_dir, threads=setup.threads, precision=setup.precision
    )
    analysis = ChannelAnalysis(detector.detect, setup.fps, gate=MotionGate(), max_lag=setup.max_lag)
    decoder = PacketDecoder()
    sent = time.monotonic()
    while True:
        with contextlib.suppress(queue.Empty):
            item = inbox.get(timeout=COUNTS_EVERY)
            if item is None:
                break
            _handle(item, analysis, decoder, outbox)
        if time.monotonic() - sent >= COUNTS_EVERY:
            outbox.put(_counts(analysis, decoder))
            sent = time.monotonic()
    for outcome in analysis.finish():
        outbox.put(outcome)
    outbox.put(_counts(analysis, decoder))
